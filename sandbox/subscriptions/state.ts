/**
 * The sandbox's change-notification subscriptions, per sandbox (keyed by its GraphEnv), and which
 * subscriptions a change reaches. Kept beside the tenant rather than in it: a subscription is the
 * caller's registration, not tenant data, so `/_sandbox/state` dumps stay fixtures.
 */
import type { GraphEnv } from "../graph/types";

export type SandboxChangeType = "created" | "updated" | "deleted";
export type WatchedCollection = "users" | "groups";

export interface SandboxSubscription {
  id: string;
  /** As the caller wrote it, e.g. "/users" or "groups/{id}". */
  resource: string;
  collection: WatchedCollection;
  /** Set when the subscription watches one object. */
  objectId?: string;
  changeTypes: SandboxChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
  createdDateTime: string;
}

export interface Delivery {
  url: string;
  kind: "validation" | "change" | "lifecycle";
  /** Status the endpoint answered; 0 = no answer (refused, timed out). */
  status: number;
  /** The `value` items sent (for validation: none). */
  items: unknown[];
  time: string;
}

export interface SubscriptionState {
  subscriptions: Map<string, SandboxSubscription>;
  deliveries: Delivery[];
  /** Deliveries still in flight, so the control surface can wait for them. */
  pending: Set<Promise<void>>;
}

/** Users and groups: 41,760 minutes (just under 29 days), per the subscription resource's table. */
export const MAX_LIFETIME_MINUTES = 41_760;

const states = new WeakMap<GraphEnv, SubscriptionState>();

export function subscriptionState(env: GraphEnv): SubscriptionState {
  let state = states.get(env);
  if (!state) states.set(env, (state = { subscriptions: new Map(), deliveries: [], pending: new Set() }));
  return state;
}

/** Subscriptions past their expiry are gone, as Graph deletes them. */
export function liveSubscriptions(env: GraphEnv): SandboxSubscription[] {
  const state = subscriptionState(env);
  const now = env.now();
  for (const [id, sub] of state.subscriptions) if (Date.parse(sub.expirationDateTime) <= now) state.subscriptions.delete(id);
  return [...state.subscriptions.values()];
}

export function reaches(sub: SandboxSubscription, collection: WatchedCollection, objectId: string, changeType: SandboxChangeType): boolean {
  return sub.collection === collection && (sub.objectId === undefined || sub.objectId === objectId) && sub.changeTypes.includes(changeType);
}
