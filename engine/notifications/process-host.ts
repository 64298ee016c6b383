/** The Function App's notification deps: composed on first use over the process's pipeline. */
import { processDeps } from "../host/from-settings";
import { loadCatalog } from "../spec/catalog";
import { composeNotifications } from "./compose";
import type { NotificationDepsProvider } from "./handlers";
import type { NotificationDeps } from "./types";

let composed: Promise<NotificationDeps> | undefined;

export const processNotificationDeps: NotificationDepsProvider = async () => {
  // The catalogue is loaded again here (milliseconds, once per process) to read the triggers.
  composed ??= processDeps().then((pipeline) => composeNotifications(process.env, pipeline, loadCatalog())).catch((error: unknown) => {
    composed = undefined;
    throw error;
  });
  return composed;
};
