/** The Function App's notification deps: composed on first use over the process's host. */
import { processComposedHost } from "../compose/from-settings";
import { composeNotifications } from "../compose/notifications";
import type { NotificationDepsProvider } from "./notification-handlers";
import type { NotificationDeps } from "../../inbound/notifications/types";

let composed: Promise<NotificationDeps> | undefined;

export const processNotificationDeps: NotificationDepsProvider = async () => {
  composed ??= processComposedHost().then((host) => composeNotifications(process.env, host)).catch((error: unknown) => {
    composed = undefined;
    throw error;
  });
  return composed;
};
