/**
 * The outbox on Azure Tables. A delivery row per (run, state, channel): PK runId, RK
 * `${channel}.${state}`, inserted only if absent, so a state reported twice is written once. A
 * small index partition ("pending") names every row not yet settled, for the sweeper. Every
 * change to a row is conditional on its ETag, so two workers never both send it.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { storageStatus, storeError } from "../store/tables";
import type { OutboxRow, RowContent } from "./types";

export const REPORT_OUTBOX_TABLE = "reportoutbox";
const INDEX_PARTITION = "pending";

interface RowEntity extends Omit<OutboxRow, "runId" | "content" | "etag"> {
  partitionKey: string;
  content: string;
}

// A type, not an interface: the transaction API wants an entity with an index signature.
type IndexEntity = {
  partitionKey: string;
  rowKey: string;
  runId: string;
  outboxRowKey: string;
  /** Epoch ms at which the row is due; the sweeper looks once it is well past. */
  dueAt: number;
  createdAt: number;
};

export interface IndexEntry {
  runId: string;
  rowKey: string;
  dueAt: number;
  createdAt: number;
}

function toEntity(row: OutboxRow): RowEntity {
  const { runId, content, etag: _etag, ...rest } = row;
  return { ...rest, partitionKey: runId, content: JSON.stringify(content) };
}

function toRow(entity: RowEntity & { etag?: string }): OutboxRow {
  return {
    runId: entity.partitionKey, rowKey: entity.rowKey, channel: entity.channel, state: entity.state, ticketId: entity.ticketId,
    intentName: entity.intentName, status: entity.status, attempts: entity.attempts, nextAttemptAt: entity.nextAttemptAt,
    leaseUntil: entity.leaseUntil, ambiguous: entity.ambiguous, content: JSON.parse(entity.content) as RowContent,
    createdAt: entity.createdAt, updatedAt: entity.updatedAt,
    ...(entity.settledAt ? { settledAt: entity.settledAt } : {}),
    ...(entity.lastAnswer ? { lastAnswer: entity.lastAnswer } : {}),
    ...(entity.etag ? { etag: entity.etag } : {}),
  };
}

const indexKey = (runId: string, rowKey: string) => `${runId}.${rowKey}`;

export class OutboxStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Writes the index first, then each row if absent; returns the rows this call created (a row
   * already there is a state reported before). An index entry without its row is harmless.
   */
  async add(rows: readonly OutboxRow[], nowMs: number): Promise<OutboxRow[]> {
    if (rows.length === 0) return [];
    try {
      await this.table.submitTransaction(rows.map((row) => ["upsert", this.indexEntity(row.runId, row.rowKey, row.nextAttemptAt, nowMs), "Replace"]));
    } catch (error) {
      throw storeError("record a report in the outbox index", error);
    }
    const created = await Promise.all(rows.map(async (row) => {
      try {
        const response = await this.table.createEntity(toEntity(row));
        return { ...row, ...(response.etag ? { etag: response.etag } : {}) };
      } catch (error) {
        if (storageStatus(error) === 409) return undefined;
        throw storeError("record a report in the outbox", error);
      }
    }));
    return created.filter((row): row is OutboxRow => row !== undefined);
  }

  async read(runId: string, rowKey: string): Promise<OutboxRow | undefined> {
    try {
      return toRow(await this.table.getEntity<RowEntity>(runId, rowKey));
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read a report from the outbox", error);
    }
  }

  /** Replaces the row if nobody changed it since it was read; undefined when someone did (412). */
  async update(row: OutboxRow): Promise<OutboxRow | undefined> {
    try {
      const response = await this.table.updateEntity(toEntity(row), "Replace", { etag: row.etag ?? "*" });
      return { ...row, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (error) {
      if (storageStatus(error) === 412) return undefined;
      throw storeError("update a report in the outbox", error);
    }
  }

  async rowsOf(runId: string): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = [];
    try {
      for await (const entity of this.table.listEntities<RowEntity>({ queryOptions: { filter: odata`PartitionKey eq ${runId}` } })) rows.push(toRow(entity));
    } catch (error) {
      throw storeError("list a run's reports", error);
    }
    return rows;
  }

  async pending(): Promise<IndexEntry[]> {
    const entries: IndexEntry[] = [];
    try {
      const list = this.table.listEntities<IndexEntity>({ queryOptions: { filter: odata`PartitionKey eq ${INDEX_PARTITION}` } });
      for await (const entity of list) entries.push({ runId: entity.runId, rowKey: entity.outboxRowKey, dueAt: entity.dueAt, createdAt: entity.createdAt });
    } catch (error) {
      throw storeError("list the outbox index", error);
    }
    return entries;
  }

  /** When the sweeper should next look at a row that is not settled yet. */
  async touchIndex(runId: string, rowKey: string, dueAt: number, nowMs: number): Promise<void> {
    try {
      await this.table.upsertEntity(this.indexEntity(runId, rowKey, dueAt, nowMs), "Merge");
    } catch (error) {
      throw storeError("update the outbox index", error);
    }
  }

  async dropIndex(runId: string, rowKey: string): Promise<void> {
    try {
      await this.table.deleteEntity(INDEX_PARTITION, indexKey(runId, rowKey));
    } catch (error) {
      if (storageStatus(error) !== 404) throw storeError("update the outbox index", error);
    }
  }

  private indexEntity(runId: string, rowKey: string, dueAt: number, nowMs: number): IndexEntity {
    return { partitionKey: INDEX_PARTITION, rowKey: indexKey(runId, rowKey), runId, outboxRowKey: rowKey, dueAt, createdAt: nowMs };
  }
}
