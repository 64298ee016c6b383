/**
 * Graph change notifications in the Function App: `POST /api/notifications` (handshake, clientState,
 * queue, 202) and the queue trigger that runs what each accepted notification triggers.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../errors";
import { NOTIFICATION_QUEUE, handleNotificationMessage } from "../notifications/queue";
import { processNotificationDeps, type NotificationDepsProvider } from "../notifications/processHost";
import { handleNotifications } from "../notifications/receiver";
import { eventsFor } from "./adapt";
import type { HttpHandler } from "./handlers";

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

export const postNotifications = notificationsHandler(processNotificationDeps);
export const processNotification = notificationQueueHandler(processNotificationDeps);

app.http("notifications", { methods: ["POST"], authLevel: "anonymous", route: "notifications", handler: postNotifications });
app.storageQueue("processNotification", { queueName: NOTIFICATION_QUEUE, connection: "AzureWebJobsStorage", handler: processNotification });
