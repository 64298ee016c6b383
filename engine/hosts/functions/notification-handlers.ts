/**
 * The notification handlers over @azure/functions types, as plain factories: the Function App
 * registers them (engine/hosts/functions/notifications.ts, subscriptions-timer.ts), `npm start` serves them.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../../core/errors";
import { eventsFor, inInvocation } from "./adapt";
import type { HttpHandler } from "./handlers";
import { NOTIFICATION_QUEUE, handleNotificationMessage } from "../../inbound/notifications/queue";
import { handleNotifications } from "../../inbound/notifications/receiver";
import { reconcileSubscriptions, type ReconcileReport } from "../../inbound/notifications/subscriptions/manager";
import type { NotificationDeps } from "../../inbound/notifications/types";

export type NotificationDepsProvider = () => Promise<NotificationDeps>;

export function notificationsHandler(deps: NotificationDepsProvider): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      const answer = await inInvocation(context, async () => handleNotifications(await deps(), {
        query: (name) => request.query.get(name),
        header: (name) => request.headers.get(name),
        body: request.body as AsyncIterable<Uint8Array> | null,
      }, eventsFor(context)));
      return { status: answer.status, headers: answer.headers, ...(answer.body === undefined ? {} : { body: answer.body }) };
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      eventsFor(context)("error", { code: error.code, ...(error.code === "CONFIG_MISSING" ? { message: error.message } : {}) });
      // Not configured (or storage down): 503, which Graph retries; the setting's name stays in the log.
      const status = error.code === "CONFIG_MISSING" || error.code === "STORE_ERROR" ? 503 : 500;
      return { status, jsonBody: { message: "Something went wrong on our side.", error: { code: error.code } } };
    }
  };
}

/** host.json `extensions.queues.maxDequeueCount`: after this many failed deliveries the host moves a message to the poison queue. */
export const HOST_MAX_DEQUEUE_COUNT = 6;

export function notificationQueueHandler(deps: NotificationDepsProvider) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const events = eventsFor(context);
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    try {
      await inInvocation(context, async () => handleNotificationMessage(await deps(), message, events));
    } catch (thrown) {
      // The last delivery failed too: the host moves the message to graph-notifications-poison,
      // where nobody would otherwise see it.
      if (dequeueCount >= HOST_MAX_DEQUEUE_COUNT) events("poison", { queue: NOTIFICATION_QUEUE, dequeueCount, code: ensureIntentError(thrown).code });
      throw thrown;
    }
  };
}

export function subscriptionsTimerHandler(deps: NotificationDepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<ReconcileReport> => {
    const events = eventsFor(context);
    try {
      return await inInvocation(context, async () => reconcileSubscriptions(await deps(), events));
    } catch (thrown) {
      events("subscriptions_failed", { code: ensureIntentError(thrown).code, on: "schedule" });
      throw thrown;
    }
  };
}
