/**
 * Graph change notifications in the Function App: `POST /api/notifications` (handshake, clientState,
 * queue, 202) and the queue trigger that runs what each accepted notification triggers.
 */
import "./telemetry-start";
import { app } from "@azure/functions";
import { notificationQueueHandler, notificationsHandler } from "./notification-handlers";
import { processNotificationDeps } from "./notification-deps";
import { NOTIFICATION_QUEUE } from "../../inbound/notifications/queue";

export const postNotifications = notificationsHandler(processNotificationDeps);
export const processNotification = notificationQueueHandler(processNotificationDeps);

app.http("notifications", { methods: ["POST"], authLevel: "anonymous", route: "notifications", handler: postNotifications });
app.storageQueue("processNotification", { queueName: NOTIFICATION_QUEUE, connection: "AzureWebJobsStorage", handler: processNotification });
