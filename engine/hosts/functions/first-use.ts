/**
 * Subscriptions on first use instead of on every start: the timer no longer runs at start (on
 * Flex Consumption that meant every scale-out), so a process's first invocation checks once
 * whether a subscription the triggered intents need is missing (a new deployment, a newly
 * deployed triggered intent) and, only then, reconciles in the background.
 */
import { ensureIntentError } from "../../core/errors";
import { subscriptionTargets } from "../../inbound/notifications/triggers";
import { reconcileSubscriptions } from "../../inbound/notifications/subscriptions/manager";
import type { EventSink } from "../../runtime/types";
import type { NotificationDepsProvider } from "./notification-handlers";

export interface FirstUse {
  /** Starts the check unless this process already did (or is doing) it; never throws. */
  (events: EventSink): Promise<void>;
}

export function reconcileOnFirstUse(deps: NotificationDepsProvider): FirstUse {
  let started: Promise<void> | undefined;
  return (events) => {
    started ??= (async () => {
      const notifications = await deps();
      const targets = subscriptionTargets(notifications.triggers);
      if (targets.length === 0) return;
      const held = new Set((await notifications.subscriptions.list()).map((record) => record.resource));
      if (targets.every((target) => held.has(target.resource))) return;
      await reconcileSubscriptions(notifications, events);
    })().catch((thrown: unknown) => {
      started = undefined; // the next invocation tries again
      events("subscriptions_failed", { code: ensureIntentError(thrown).code, on: "first use" });
    });
    return started;
  };
}
