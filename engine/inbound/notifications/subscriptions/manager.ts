/**
 * Keeps one Graph subscription per watched resource alive: the timer reconciles what the triggered
 * intents need with what the table holds (create, renew before expiry, replace, delete), and
 * lifecycle notifications renew or recreate the subscription they name.
 */
import { ensureIntentError, IntentError } from "../../../core/errors";
import type { EventSink } from "../../../runtime/types";
import { clientStateId } from "../client-state";
import { baselineMembers } from "../members/membership";
import { subscriptionTargets, watchedGroup, type SubscriptionTarget } from "../triggers";
import type { LifecycleItem, NotificationDeps, SubscriptionRecord } from "../types";
import { createSubscription, deleteSubscription, renewSubscription } from "./graph-api";
import { expiryFrom, needsRenewal } from "./lifetime";

export interface ReconcileReport {
  created: string[];
  renewed: string[];
  kept: string[];
  removed: string[];
  failed: Array<{ resource: string; code: string }>;
}

function urlOf(deps: NotificationDeps): string {
  if (!deps.notificationUrl) {
    throw new IntentError("CONFIG_MISSING", "No public URL for change notifications is set.", {
      fix: "Set NOTIFICATION_URL to https://<app>.azurewebsites.net/api/notifications (or run where WEBSITE_HOSTNAME is set).",
    });
  }
  return deps.notificationUrl;
}

async function create(deps: NotificationDeps, target: SubscriptionTarget, url: string): Promise<SubscriptionRecord> {
  const now = deps.pipeline.clock.now();
  const clientState = await deps.clientState();
  const created = await createSubscription(deps.graph, target, url, clientState, expiryFrom(now, target.resource));
  const record: SubscriptionRecord = {
    resource: target.resource, subscriptionId: created.id, changeTypes: target.changeTypes, notificationUrl: url,
    clientStateId: clientStateId(clientState), expiresAt: created.expiresAt, createdAt: new Date(now).toISOString(),
  };
  await deps.subscriptions.put(record);
  // Members triggers diff against a snapshot: take it now, so the first change after subscribing counts.
  const group = target.resource.startsWith("groups/") ? target.resource.slice("groups/".length) : undefined;
  if (group && deps.triggers.some((b) => watchedGroup(b.trigger.resource) === group)) {
    await baselineMembers(deps.graph, deps.snapshots, group);
  }
  return record;
}

/** Renews in place, or creates again when Graph has dropped it; says which happened. */
async function renewOrCreate(deps: NotificationDeps, record: SubscriptionRecord, url: string, extra: Partial<SubscriptionRecord> = {}): Promise<"renewed" | "created"> {
  const now = deps.pipeline.clock.now();
  const expiresAt = expiryFrom(now, record.resource);
  if (await renewSubscription(deps.graph, record.subscriptionId, expiresAt)) {
    await deps.subscriptions.put({ ...record, ...extra, expiresAt, renewedAt: new Date(now).toISOString() });
    return "renewed";
  }
  const created = await create(deps, record, url);
  if (Object.keys(extra).length > 0) await deps.subscriptions.put({ ...created, ...extra });
  return "created";
}

function sameTarget(record: SubscriptionRecord, target: SubscriptionTarget, url: string, stateId: string): boolean {
  return record.notificationUrl === url && record.clientStateId === stateId && record.changeTypes.join(",") === target.changeTypes.join(",");
}

export async function reconcileSubscriptions(deps: NotificationDeps, events: EventSink): Promise<ReconcileReport> {
  const report: ReconcileReport = { created: [], renewed: [], kept: [], removed: [], failed: [] };
  const targets = subscriptionTargets(deps.triggers);
  const records = new Map((await deps.subscriptions.list()).map((record) => [record.resource, record]));
  const url = targets.length > 0 ? urlOf(deps) : "";
  const stateId = clientStateId(await deps.clientState());
  for (const target of targets) {
    const record = records.get(target.resource);
    records.delete(target.resource);
    try {
      if (!record) {
        await create(deps, target, url);
        report.created.push(target.resource);
      } else if (!sameTarget(record, target, url, stateId)) {
        // Graph cannot change a subscription's change types, URL or clientState in place.
        await deleteSubscription(deps.graph, record.subscriptionId);
        await create(deps, target, url);
        report.created.push(target.resource);
      } else if (needsRenewal(deps.pipeline.clock.now(), record.resource, record.expiresAt)) {
        report[(await renewOrCreate(deps, record, url)) === "renewed" ? "renewed" : "created"].push(target.resource);
      } else {
        report.kept.push(target.resource);
      }
    } catch (thrown) {
      report.failed.push({ resource: target.resource, code: ensureIntentError(thrown).code });
    }
  }
  for (const stale of records.values()) {
    try {
      await deleteSubscription(deps.graph, stale.subscriptionId);
      await deps.subscriptions.remove(stale.resource);
      report.removed.push(stale.resource);
    } catch (thrown) {
      report.failed.push({ resource: stale.resource, code: ensureIntentError(thrown).code });
    }
  }
  events("subscriptions_reconciled", { ...report });
  return report;
}

/**
 * reauthorizationRequired and missed: renew (a PATCH also reauthorizes); subscriptionRemoved:
 * create again. Missed changes are not replayed (no delta resync yet): the event says so.
 */
export async function handleLifecycle(deps: NotificationDeps, item: LifecycleItem, events: EventSink): Promise<void> {
  const record = (await deps.subscriptions.list()).find((r) => r.subscriptionId === item.subscriptionId);
  if (!record) return events("lifecycle_unknown_subscription", { subscriptionId: item.subscriptionId, lifecycleEvent: item.lifecycleEvent });
  const url = urlOf(deps);
  const seen = { lastLifecycleEvent: item.lifecycleEvent, lastLifecycleAt: new Date(deps.pipeline.clock.now()).toISOString() };
  let outcome: "renewed" | "created";
  if (item.lifecycleEvent === "subscriptionRemoved") {
    await deps.subscriptions.put({ ...(await create(deps, record, url)), ...seen });
    outcome = "created";
  } else {
    outcome = await renewOrCreate(deps, record, url, seen);
  }
  events("lifecycle_handled", { subscriptionId: item.subscriptionId, lifecycleEvent: item.lifecycleEvent, resource: record.resource, outcome });
  if (item.lifecycleEvent === "missed") events("notifications_missed", { resource: record.resource });
}
