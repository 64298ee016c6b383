/**
 * The notification loop over real HTTP: the sandbox tenant (sending notifications), the local
 * adapter serving POST /api/notifications, the real engine and shipped intents, Azurite for runs,
 * subscriptions and the notification queue, and one manual clock for the app and the sandbox.
 */
import { notificationQueueHandler, notificationsHandler } from "../../../engine/hosts/functions/notification-handlers";
import { composeFromSettings, type ComposedHost } from "../../../engine/hosts/compose/from-settings";
import { startLocalServer, type LocalServer } from "../../../engine/hosts/local/http-adapter";
import { startQueuePoller, type QueuePoller } from "../../../engine/hosts/local/queue-poller";
import { composeNotifications } from "../../../engine/hosts/compose/notifications";
import type { NotificationDeps } from "../../../engine/inbound/notifications/types";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { startSandbox, type Sandbox } from "../../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../../support/azurite";
import { createManualClock, type ManualClock } from "../../support/manual-clock";

export const SECRET = "notify-test-secret-91b2";

export interface NotifyStack {
  sandbox: Sandbox;
  server: LocalServer;
  deps: NotificationDeps;
  clock: ManualClock;
  poller: QueuePoller;
  connectionString: string;
  /** Structured event lines the handlers and the poller logged. */
  events(): Array<Record<string, unknown>>;
  /** Waits for the sandbox's deliveries in flight, then handles what they queued. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/** `intentsDir`: the catalogue to load (default the shipped intents/). */
export async function startNotifyStack(intentsDir?: string): Promise<NotifyStack> {
  const clock = createManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
  const azurite: RunningAzurite = await startTestAzurite();
  const sandbox = await startSandbox({ now: () => clock.now() });
  const env = {
    AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox-token",
    INTENT_SHARED_SECRET: SECRET, NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
  };
  const host: ComposedHost = await composeFromSettings(env, { clock, ...(intentsDir ? { intentsDir } : {}) });
  const lines: string[] = [];
  const log = (_level: string, line: string) => { lines.push(line); };
  let deps: NotificationDeps | undefined;
  const provider = async () => deps as NotificationDeps;
  const server = await startLocalServer({
    routes: [{ method: "POST", pattern: "/api/notifications", name: "notifications", handler: notificationsHandler(provider) }],
    maxBodyBytes: MAX_BODY_BYTES,
    log,
  });
  const composed = await composeNotifications({ ...env, NOTIFICATION_URL: `${server.url}/api/notifications` }, host);
  deps = composed;
  const poller = startQueuePoller({ queue: composed.queueClient, handler: notificationQueueHandler(provider), log, retryAfterSeconds: 0 }, false);
  return {
    sandbox, server, deps: composed, clock, poller, connectionString: azurite.connectionString,
    events: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async drain() {
      await fetch(`${sandbox.url}/_sandbox/subscriptions?settle=true`);
      let handled = 0;
      for (let n = await poller.pollOnce(); n > 0; n = await poller.pollOnce()) handled += n;
      return handled;
    },
    async close() {
      await poller.stop();
      await server.close();
      await host.close();
      await sandbox.close();
      await azurite.close();
    },
  };
}
