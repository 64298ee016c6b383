/** Which triggered intents a change reaches, and the subscriptions they need (one per resource). */
import type { Catalog, ChangeType } from "../spec/types";
import type { TriggeredIntent } from "./types";

export interface ChangedObject {
  /** `users` or `groups`. */
  collection: string;
  id: string;
}

export interface SubscriptionTarget {
  resource: string;
  changeTypes: ChangeType[];
}

const CHANGE_ORDER: readonly ChangeType[] = ["created", "updated", "deleted"];

export function triggeredIntents(catalog: Catalog): TriggeredIntent[] {
  return catalog.intents.flatMap((intent) => (intent.trigger ? [{ intent, trigger: intent.trigger }] : []));
}

/** `Users/{id}` (Graph's spelling in notifications) → users + id; anything else is not ours. */
export function changedObject(resource: string): ChangedObject | undefined {
  const match = /^\/?(users|groups)\/([^/]+)$/i.exec(resource);
  return match ? { collection: (match[1] as string).toLowerCase(), id: match[2] as string } : undefined;
}

function covers(watched: string, changed: ChangedObject): boolean {
  const [collection, id] = watched.split("/");
  return collection === changed.collection && (id === undefined || id === changed.id.toLowerCase());
}

export function matchingTriggers(triggers: readonly TriggeredIntent[], changed: ChangedObject, changeType: ChangeType): TriggeredIntent[] {
  return triggers.filter(({ trigger }) => trigger.changeTypes.includes(changeType) && covers(trigger.resource, changed));
}

export function subscriptionTargets(triggers: readonly TriggeredIntent[]): SubscriptionTarget[] {
  const byResource = new Map<string, Set<ChangeType>>();
  for (const { trigger } of triggers) {
    const types = byResource.get(trigger.resource) ?? new Set<ChangeType>();
    trigger.changeTypes.forEach((type) => types.add(type));
    byResource.set(trigger.resource, types);
  }
  return [...byResource].sort(([a], [b]) => a.localeCompare(b)).map(([resource, types]) => ({
    resource,
    changeTypes: CHANGE_ORDER.filter((type) => types.has(type)),
  }));
}
