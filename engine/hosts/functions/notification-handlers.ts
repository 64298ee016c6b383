/**
 * The notification handlers over @azure/functions types, as plain factories: the Function App
 * registers them (engine/hosts/functions/notifications.ts, subscriptions-timer.ts), `npm start` serves them.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../../core/errors";
import { eventsFor } from "./adapt";
import type { HttpHandler } from "./handlers";
import { handleNotificationMessage } from "../../inbound/notifications/queue";
import { handleNotifications } from "../../inbound/notifications/receiver";
import { reconcileSubscriptions, type ReconcileReport } from "../../inbound/notifications/subscriptions/manager";
import type { NotificationDeps } from "../../inbound/notifications/types";

export type NotificationDepsProvider = () => Promise<NotificationDeps>;

export function notificationsHandler(deps: NotificationDepsProvider): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      const answer = await handleNotifications(await deps(), {
        query: (name) => request.query.get(name),
        header: (name) => request.headers.get(name),
        body: request.body as AsyncIterable<Uint8Array> | null,
      }, eventsFor(context));
      return { status: answer.status, headers: answer.headers, ...(answer.body === undefined ? {} : { body: answer.body }) };
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      eventsFor(context)("error", { code: error.code });
      return { status: 500, jsonBody: { message: "Something went wrong on our side.", error: { code: error.code } } };
    }
  };
}

export function notificationQueueHandler(deps: NotificationDepsProvider) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    await handleNotificationMessage(await deps(), message, eventsFor(context));
  };
}

export function subscriptionsTimerHandler(deps: NotificationDepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<ReconcileReport> =>
    reconcileSubscriptions(await deps(), eventsFor(context));
}
