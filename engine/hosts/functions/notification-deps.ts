/** The Function App's notification deps: composed on first use over the process's pipeline. */
import { processDeps } from "../compose/from-settings";
import { loadCatalog } from "../../language/spec/catalog";
import { composeNotifications } from "../compose/notifications";
import type { NotificationDepsProvider } from "./notification-handlers";
import type { NotificationDeps } from "../../inbound/notifications/types";

let composed: Promise<NotificationDeps> | undefined;

export const processNotificationDeps: NotificationDepsProvider = async () => {
  // The catalogue is loaded again here (milliseconds, once per process) to read the triggers.
  composed ??= processDeps().then((pipeline) => composeNotifications(process.env, pipeline, loadCatalog())).catch((error: unknown) => {
    composed = undefined;
    throw error;
  });
  return composed;
};
