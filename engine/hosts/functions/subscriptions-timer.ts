/**
 * The timer that keeps Graph subscriptions alive: every six hours it creates what the triggered
 * intents need and renews what nears expiry (Graph allows ~29 days for users/groups). Not at
 * start: on Flex Consumption every scale-out is a start; a process's first invocation reconciles
 * instead when something is missing (./first-use.ts).
 */
import "./telemetry-start";
import { app } from "@azure/functions";
import { subscriptionsTimerHandler } from "./notification-handlers";
import { processNotificationDeps } from "./notification-deps";

export const SUBSCRIPTION_SCHEDULE = "0 0 */6 * * *";

export const renewSubscriptions = subscriptionsTimerHandler(processNotificationDeps);

app.timer("renewSubscriptions", { schedule: SUBSCRIPTION_SCHEDULE, runOnStartup: false, handler: renewSubscriptions });
