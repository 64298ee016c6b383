/**
 * The timer that keeps Graph subscriptions alive: every six hours (and at start) it creates what
 * the triggered intents need and renews what nears expiry (Graph allows ~29 days for users/groups).
 */
import { app } from "@azure/functions";
import { subscriptionsTimerHandler } from "./notification-handlers";
import { processNotificationDeps } from "./notification-deps";

export const SUBSCRIPTION_SCHEDULE = "0 0 */6 * * *";

export const renewSubscriptions = subscriptionsTimerHandler(processNotificationDeps);

app.timer("renewSubscriptions", { schedule: SUBSCRIPTION_SCHEDULE, runOnStartup: true, handler: renewSubscriptions });
