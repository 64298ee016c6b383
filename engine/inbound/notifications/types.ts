/**
 * The contracts of Graph change notifications: what arrives on the webhook, what goes through the
 * queue, the subscription state in Azure Tables, and what the handlers need.
 */
import type { GraphClient } from "../../clients/graph/types";
import type { PipelineDeps } from "../../lifecycle/types";
import type { MemberSnapshotStore } from "./members/snapshot-store";
import type { ChangeType, CompiledIntent, CompiledTrigger } from "../../language/spec/types";

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

/** One change as Graph reports it (basic notification: the object's id, never the object). */
export interface ChangeItem {
  subscriptionId: string;
  changeType: ChangeType;
  /** e.g. `Users/{id}`. */
  resource: string;
  tenantId?: string;
  resourceData?: { id?: string };
}

export interface LifecycleItem {
  subscriptionId: string;
  lifecycleEvent: LifecycleEvent;
  tenantId?: string;
}

/** A queue message: one item, its clientState already checked and dropped. */
export type NotificationMessage = { kind: "change"; item: ChangeItem } | { kind: "lifecycle"; item: LifecycleItem };

export interface NotificationQueue {
  send(message: NotificationMessage): Promise<void>;
}

/** One Graph subscription the app holds, keyed by the watched resource (one subscription per resource). */
export interface SubscriptionRecord {
  /** The trigger's resource, e.g. `users` or `groups/{id}`. */
  resource: string;
  subscriptionId: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  /** Fingerprint of the clientState registered with Graph: a rotated shared secret means a new subscription. */
  clientStateId: string;
  /** ISO date and time Graph will drop the subscription unless renewed. */
  expiresAt: string;
  createdAt: string;
  renewedAt?: string;
  lastLifecycleEvent?: LifecycleEvent;
  lastLifecycleAt?: string;
}

export interface SubscriptionStore {
  list(): Promise<SubscriptionRecord[]>;
  put(record: SubscriptionRecord): Promise<void>;
  remove(resource: string): Promise<void>;
}

/** An intent with a trigger, as the catalogue compiled it. */
export interface TriggeredIntent {
  intent: CompiledIntent;
  trigger: CompiledTrigger;
}

export interface NotificationDeps {
  /** Runs go through the webhook pipeline's store, runner, queue and failure mail. */
  pipeline: PipelineDeps;
  /** Reads changed objects and member lists, and keeps the subscriptions. */
  graph: GraphClient;
  triggers: readonly TriggeredIntent[];
  queue: NotificationQueue;
  subscriptions: SubscriptionStore;
  /** Last member lists of groups that members triggers watch. */
  snapshots: MemberSnapshotStore;
  /** The secret Graph echoes in every notification (derived from the shared secret, which may rotate). */
  clientState: () => Promise<string>;
  /** Public URL of POST /api/notifications; unset = subscriptions cannot be created. */
  notificationUrl: string | undefined;
  maxBodyBytes: number;
}
