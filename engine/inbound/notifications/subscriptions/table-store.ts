/** Subscription state in Azure Tables: one row per watched resource, so every instance sees the same. */
import type { TableClient } from "@azure/data-tables";
import { storageStatus, storeError } from "../../../lifecycle/store/tables";
import type { SubscriptionRecord, SubscriptionStore } from "../types";

export const SUBSCRIPTIONS_TABLE = "graphsubscriptions";
const PARTITION = "subscription";

/** Table keys may not hold '/', so `groups/{id}` is stored as `groups|{id}`. */
function rowKey(resource: string): string {
  return resource.replace(/\//g, "|");
}

interface SubscriptionEntity {
  partitionKey: string;
  rowKey: string;
  resource: string;
  subscriptionId: string;
  changeTypes: string;
  notificationUrl: string;
  clientStateId?: string;
  expiresAt: string;
  createdAt: string;
  renewedAt?: string;
  lastLifecycleEvent?: string;
  lastLifecycleAt?: string;
}

function toRecord(entity: SubscriptionEntity): SubscriptionRecord {
  return {
    resource: entity.resource,
    subscriptionId: entity.subscriptionId,
    changeTypes: entity.changeTypes.split(",").filter(Boolean) as SubscriptionRecord["changeTypes"],
    notificationUrl: entity.notificationUrl,
    clientStateId: entity.clientStateId ?? "",
    expiresAt: entity.expiresAt,
    createdAt: entity.createdAt,
    ...(entity.renewedAt ? { renewedAt: entity.renewedAt } : {}),
    ...(entity.lastLifecycleEvent ? { lastLifecycleEvent: entity.lastLifecycleEvent as SubscriptionRecord["lastLifecycleEvent"] } : {}),
    ...(entity.lastLifecycleAt ? { lastLifecycleAt: entity.lastLifecycleAt } : {}),
  };
}

export class TableSubscriptionStore implements SubscriptionStore {
  constructor(private readonly table: TableClient) {}

  async list(): Promise<SubscriptionRecord[]> {
    const records: SubscriptionRecord[] = [];
    try {
      for await (const entity of this.table.listEntities<SubscriptionEntity>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
        records.push(toRecord(entity));
      }
    } catch (error) {
      throw storeError("list the Graph subscriptions", error);
    }
    return records;
  }

  async put(record: SubscriptionRecord): Promise<void> {
    const entity: SubscriptionEntity = { partitionKey: PARTITION, rowKey: rowKey(record.resource), ...record, changeTypes: record.changeTypes.join(",") };
    try {
      await this.table.upsertEntity(entity, "Replace");
    } catch (error) {
      throw storeError("save a Graph subscription", error);
    }
  }

  async remove(resource: string): Promise<void> {
    try {
      await this.table.deleteEntity(PARTITION, rowKey(resource));
    } catch (error) {
      if (storageStatus(error) !== 404) throw storeError("delete a Graph subscription", error);
    }
  }
}
