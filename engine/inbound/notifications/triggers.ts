/** Which triggered intents a change reaches, and the subscriptions they need (one per resource). */
import type { Catalog, ChangeType } from "../../language/spec/types";
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
const MEMBERS = /^groups\/([^/]+)\/members$/;

export function triggeredIntents(catalog: Catalog): TriggeredIntent[] {
  return catalog.intents.flatMap((intent) => (intent.trigger ? [{ intent, trigger: intent.trigger }] : []));
}

/** `Users/{id}` (Graph's spelling in notifications) → users + id; anything else is not ours. */
export function changedObject(resource: string): ChangedObject | undefined {
  const match = /^\/?(users|groups)\/([^/]+)$/i.exec(resource);
  return match ? { collection: (match[1] as string).toLowerCase(), id: match[2] as string } : undefined;
}

/** The group a `groups/{id}/members` trigger watches. */
export function watchedGroup(resource: string): string | undefined {
  return MEMBERS.exec(resource)?.[1];
}

function covers(watched: string, changed: ChangedObject): boolean {
  const [collection, id, extra] = watched.split("/");
  return extra === undefined && collection === changed.collection && (id === undefined || id === changed.id.toLowerCase());
}

/** Triggers on the changed object itself (not on a group's members). */
export function matchingTriggers(triggers: readonly TriggeredIntent[], changed: ChangedObject, changeType: ChangeType): TriggeredIntent[] {
  return triggers.filter(({ trigger }) => trigger.changeTypes.includes(changeType) && covers(trigger.resource, changed));
}

/** Triggers on this group's members, for a member added (created) or removed (deleted). */
export function memberTriggers(triggers: readonly TriggeredIntent[], groupId: string, changeType: ChangeType): TriggeredIntent[] {
  return triggers.filter(({ trigger }) => trigger.changeTypes.includes(changeType) && watchedGroup(trigger.resource) === groupId.toLowerCase());
}

/** A members trigger is served by an `updated` subscription on its group. */
export function subscriptionTargets(triggers: readonly TriggeredIntent[]): SubscriptionTarget[] {
  const byResource = new Map<string, Set<ChangeType>>();
  for (const { trigger } of triggers) {
    const group = watchedGroup(trigger.resource);
    const resource = group ? `groups/${group}` : trigger.resource;
    const types = byResource.get(resource) ?? new Set<ChangeType>();
    (group ? (["updated"] as const) : trigger.changeTypes).forEach((type) => types.add(type));
    byResource.set(resource, types);
  }
  return [...byResource].sort(([a], [b]) => a.localeCompare(b)).map(([resource, types]) => ({
    resource,
    changeTypes: CHANGE_ORDER.filter((type) => types.has(type)),
  }));
}
