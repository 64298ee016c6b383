/**
 * Turns the tenant's state changes into change notifications. A write is wrapped: users and groups
 * are fingerprinted before and after, and each difference (created, updated, deleted) goes to the
 * subscriptions it reaches. Nothing is fingerprinted while no subscription exists.
 */
import type { GraphEnv, GraphResult } from "../graph/types";
import { deliver } from "./sender";
import { liveSubscriptions, reaches, type SandboxChangeType, type SandboxSubscription, type WatchedCollection } from "./state";

type Fingerprints = Map<string, string>;

interface Change {
  collection: WatchedCollection;
  id: string;
  changeType: SandboxChangeType;
}

function fingerprint(env: GraphEnv): Record<WatchedCollection, Fingerprints> {
  return {
    users: new Map(env.tenant.users.map((u) => [u.id, JSON.stringify(u)])),
    groups: new Map(env.tenant.groups.map((g) => [g.id, JSON.stringify(g)])),
  };
}

function diff(collection: WatchedCollection, before: Fingerprints, after: Fingerprints): Change[] {
  const changes: Change[] = [];
  for (const [id, print] of after) {
    const old = before.get(id);
    if (old === undefined) changes.push({ collection, id, changeType: "created" });
    else if (old !== print) changes.push({ collection, id, changeType: "updated" });
  }
  for (const id of before.keys()) if (!after.has(id)) changes.push({ collection, id, changeType: "deleted" });
  return changes;
}

const TYPE_NAMES: Record<WatchedCollection, [string, string]> = { users: ["Users", "#Microsoft.Graph.User"], groups: ["Groups", "#Microsoft.Graph.Group"] };

/** One item as Graph sends it (basic notification: resourceData holds the id, never the object). */
function notificationItem(env: GraphEnv, sub: SandboxSubscription, change: Change): Record<string, unknown> {
  const [segment, odataType] = TYPE_NAMES[change.collection];
  return {
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: sub.expirationDateTime,
    changeType: change.changeType,
    resource: `${segment}/${change.id}`,
    tenantId: env.tenant.tenantId,
    ...(sub.clientState === undefined ? {} : { clientState: sub.clientState }),
    resourceData: { "@odata.type": odataType, "@odata.id": `${segment}/${change.id}`, id: change.id, organizationId: env.tenant.tenantId },
  };
}

export async function withChangeNotifications(env: GraphEnv, method: string, run: () => Promise<GraphResult>): Promise<GraphResult> {
  if (method === "GET" || liveSubscriptions(env).length === 0) return run();
  const before = fingerprint(env);
  const result = await run();
  const after = fingerprint(env);
  const changes = [...diff("users", before.users, after.users), ...diff("groups", before.groups, after.groups)];
  if (changes.length === 0) return result;
  for (const sub of liveSubscriptions(env)) {
    const items = changes.filter((c) => reaches(sub, c.collection, c.id, c.changeType)).map((c) => notificationItem(env, sub, c));
    if (items.length > 0) deliver(env, sub.notificationUrl, "change", items);
  }
  return result;
}

/** A lifecycle event for one subscription (the control surface plays Graph's side). */
export function lifecycleItem(env: GraphEnv, sub: SandboxSubscription, lifecycleEvent: string): Record<string, unknown> {
  return {
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: sub.expirationDateTime,
    tenantId: env.tenant.tenantId,
    ...(sub.clientState === undefined ? {} : { clientState: sub.clientState }),
    lifecycleEvent,
  };
}
