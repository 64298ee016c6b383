/**
 * Composes change notifications over an existing pipeline: the subscription table, the
 * notification queue, the triggered intents and the clientState derived from the shared secret.
 */
import type { QueueClient } from "@azure/storage-queue";
import type { GraphClient } from "../../clients/graph/types";
import { loadSettings } from "../config";
import type { PipelineDeps } from "../../lifecycle/types";
import type { Catalog } from "../../language/spec/types";
import { openQueue, openTable } from "../../lifecycle/store/tables";
import { clientStateFor } from "../../inbound/notifications/client-state";
import { MEMBER_SNAPSHOTS_TABLE, TableMemberSnapshotStore } from "../../inbound/notifications/members/snapshot-store";
import { NOTIFICATION_QUEUE, StorageNotificationQueue } from "../../inbound/notifications/queue";
import { NOTIFICATION_MAX_BYTES } from "../../inbound/notifications/receiver";
import { SUBSCRIPTIONS_TABLE, TableSubscriptionStore } from "../../inbound/notifications/subscriptions/table-store";
import { triggeredIntents } from "../../inbound/notifications/triggers";
import type { NotificationDeps } from "../../inbound/notifications/types";

type Env = Readonly<Record<string, string | undefined>>;

/** NOTIFICATION_URL, else the Function App's own host name (Azure sets WEBSITE_HOSTNAME). */
export function notificationUrlFrom(env: Env): string | undefined {
  if (env.NOTIFICATION_URL) return env.NOTIFICATION_URL;
  return env.WEBSITE_HOSTNAME ? `https://${env.WEBSITE_HOSTNAME}/api/notifications` : undefined;
}

export interface ComposedNotifications extends NotificationDeps {
  /** The notification queue opened here, for a local poller playing the queue trigger (opened once). */
  queueClient: QueueClient;
}

/** What notifications run over: the webhook pipeline, the Graph client and the catalogue the host composed. */
export interface NotificationHost {
  deps: PipelineDeps;
  graph: GraphClient;
  catalog: Catalog;
}

export async function composeNotifications(env: Env, host: NotificationHost): Promise<ComposedNotifications> {
  const { deps: pipeline, graph, catalog } = host;
  const { storage } = loadSettings(env);
  const [table, snapshots, queue] = await Promise.all([
    openTable(storage, SUBSCRIPTIONS_TABLE), openTable(storage, MEMBER_SNAPSHOTS_TABLE), openQueue(storage, NOTIFICATION_QUEUE),
  ]);
  return {
    pipeline,
    graph,
    triggers: triggeredIntents(catalog),
    queue: new StorageNotificationQueue(queue),
    subscriptions: new TableSubscriptionStore(table),
    snapshots: new TableMemberSnapshotStore(snapshots),
    clientState: async () => clientStateFor(await pipeline.settings.sharedSecret()),
    notificationUrl: notificationUrlFrom(env),
    maxBodyBytes: NOTIFICATION_MAX_BYTES,
    queueClient: queue,
  };
}
