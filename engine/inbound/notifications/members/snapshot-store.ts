/**
 * The last member list seen of each watched group, in Azure Tables, so a group's `updated`
 * notification can be turned into "these members were added / removed". Written with optimistic
 * concurrency: two instances diffing the same group cannot both win.
 */
import type { TableClient } from "@azure/data-tables";
import { IntentError } from "../../../core/errors";
import { storageStatus, storeError } from "../../../lifecycle/store/tables";

export const MEMBER_SNAPSHOTS_TABLE = "graphmembersnapshots";
const ROW = "members";
/** A string property holds 64 KiB of UTF-16 (32K characters): 800 ids of 37; an entity (1 MiB) ~15 chunks. */
const IDS_PER_CHUNK = 800;

export interface MemberSnapshot {
  members: string[];
  /** Counts saved snapshots: it tells a member's second addition from a redelivery of the first. */
  version: number;
  etag?: string;
}

export interface MemberSnapshotStore {
  get(groupId: string): Promise<MemberSnapshot | undefined>;
  /** Throws a retryable IntentError when another writer saved first. */
  save(groupId: string, members: string[], version: number, etag: string | undefined): Promise<void>;
}

type Entity = { partitionKey: string; rowKey: string; version: number; chunks: number } & Record<string, unknown>;

function conflict(cause: unknown): IntentError {
  return new IntentError("STORE_ERROR", "Another instance updated the group's member snapshot first.", { cause, retryable: true });
}

export class TableMemberSnapshotStore implements MemberSnapshotStore {
  constructor(private readonly table: TableClient) {}

  async get(groupId: string): Promise<MemberSnapshot | undefined> {
    try {
      const entity = await this.table.getEntity<Entity>(groupId.toLowerCase(), ROW);
      const members: string[] = [];
      for (let i = 0; i < entity.chunks; i++) members.push(...String(entity[`m${i}`] ?? "").split(",").filter(Boolean));
      return { members, version: entity.version, ...(entity.etag ? { etag: entity.etag } : {}) };
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read a group's member snapshot", error);
    }
  }

  async save(groupId: string, members: string[], version: number, etag: string | undefined): Promise<void> {
    const entity: Entity = { partitionKey: groupId.toLowerCase(), rowKey: ROW, version, chunks: 0 };
    for (let i = 0; i * IDS_PER_CHUNK < members.length; i++) {
      entity[`m${i}`] = members.slice(i * IDS_PER_CHUNK, (i + 1) * IDS_PER_CHUNK).join(",");
      entity.chunks = i + 1;
    }
    try {
      if (etag) await this.table.updateEntity(entity, "Replace", { etag });
      else await this.table.createEntity(entity);
    } catch (error) {
      const status = storageStatus(error);
      throw status === 409 || status === 412 ? conflict(error) : storeError("save a group's member snapshot", error);
    }
  }
}
