/**
 * The timer that keeps Graph subscriptions alive: every six hours (and at start) it creates what
 * the triggered intents need and renews what nears expiry (Graph allows ~29 days for users/groups).
 */
import { app, type InvocationContext } from "@azure/functions";
import { processNotificationDeps, type NotificationDepsProvider } from "../notifications/processHost";
import { reconcileSubscriptions, type ReconcileReport } from "../notifications/subscriptions/manager";
import { eventsFor } from "./adapt";

export const SUBSCRIPTION_SCHEDULE = "0 0 */6 * * *";

export function subscriptionsTimerHandler(deps: NotificationDepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<ReconcileReport> =>
    reconcileSubscriptions(await deps(), eventsFor(context));
}

export const renewSubscriptions = subscriptionsTimerHandler(processNotificationDeps);

app.timer("renewSubscriptions", { schedule: SUBSCRIPTION_SCHEDULE, runOnStartup: true, handler: renewSubscriptions });
