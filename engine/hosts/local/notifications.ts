/**
 * Change notifications for `npm start`: the POST /api/notifications route, the queue poller that
 * plays the queue trigger, and the subscription timer (once at start, then every six hours).
 */
import type { Route } from "./http-adapter";
import { startQueuePoller, type QueuePoller } from "./queue-poller";
import { notificationQueueHandler, notificationsHandler } from "../functions/notification-handlers";
import { composeNotifications, type NotificationHost } from "../compose/notifications";
import { reconcileSubscriptions } from "../../inbound/notifications/subscriptions/manager";
import type { NotificationDeps } from "../../inbound/notifications/types";

type Env = Readonly<Record<string, string | undefined>>;

const TIMER_MS = 6 * 3_600_000;

export interface LocalNotifications {
  /** Serve it before start(): the sandbox's handshake arrives while start() creates subscriptions. */
  route: Route;
  /** Composes, starts the poller and reconciles once; returns lines for the start banner. Close only once it has settled. */
  start(serverUrl: string): Promise<string[]>;
  close(): Promise<void>;
}

export function localNotifications(env: Env, host: NotificationHost, log: (level: string, line: string) => void): LocalNotifications {
  let resolveDeps: (deps: NotificationDeps) => void = () => undefined;
  const ready = new Promise<NotificationDeps>((resolve) => { resolveDeps = resolve; });
  const provider = () => ready;
  let poller: QueuePoller | undefined;
  let timer: NodeJS.Timeout | undefined;
  const reconcile = (deps: NotificationDeps) =>
    reconcileSubscriptions(deps, (event, fields) => log("info", JSON.stringify({ event, ...fields })));
  return {
    route: { method: "POST", pattern: "/api/notifications", name: "notifications", handler: notificationsHandler(provider) },
    async start(serverUrl) {
      const url = env.NOTIFICATION_URL ?? `${serverUrl}/api/notifications`;
      const deps = await composeNotifications({ ...env, NOTIFICATION_URL: url }, host);
      resolveDeps(deps);
      poller = startQueuePoller({ queue: deps.queueClient, handler: notificationQueueHandler(provider), log });
      const report = await reconcile(deps);
      timer = setInterval(() => void reconcile(deps).catch(() => undefined), TIMER_MS);
      timer.unref();
      const watched = [...report.created, ...report.renewed, ...report.kept];
      return [
        `change notifications: ${url} (${deps.triggers.length} triggered intent(s); subscriptions: ${watched.join(", ") || "none"}${report.failed.length ? `; failed: ${report.failed.map((f) => `${f.resource} ${f.code}`).join(", ")}` : ""})`,
        // The connection string holds the account key: the banner names the setting, never its value.
        "subscriptions: npx intents subscriptions (with this server's AzureWebJobsStorage)",
      ];
    },
    async close() {
      if (timer) clearInterval(timer);
      await poller?.stop();
    },
  };
}
