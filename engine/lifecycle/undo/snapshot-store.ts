/**
 * Snapshots on Azure Tables, beside the run: one row per run (PK runId, RK `snapshot`) with the
 * fields it ran with (never a secret one) and what its snapshot steps read, kept until `expiresAt`
 * (SNAPSHOT_RETENTION_DAYS after it was taken). A list too long for the row (a user in hundreds of
 * groups) goes to the companion table, in rows of whole items (PK runId, RK `<step>.<output>~<n>`),
 * written before the row that names them. Links between a run and the undo runs that reversed it
 * are rows of the same partition (RK `undo~<undoRunId>`).
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { IntentError } from "../../core/errors";
import type { SnapshotValues } from "../../runtime/types";
import { asciiJson } from "../store/summarise";
import { storageStatus, storeError } from "../store/tables";
import { asParts, PARTS_PER_ROW, partsOf, PROPERTY_CHARS, splitText } from "../store/table-text";
import type { RunSnapshot, SnapshotStore } from "./types";

export const SNAPSHOT_ROW = "snapshot";
const UNDO_ROW_PREFIX = "undo~";
/** A list whose JSON is longer than this is kept in the companion table, not in the row. */
export const INLINE_LIST_CHARS = 4_000;

interface SnapshotRow {
  partitionKey: string;
  rowKey: string;
  intentName: string;
  target: string;
  takenAt: string;
  expiresAt: string;
  fields: string;
  parts: number;
  [part: `part${number}`]: string;
}

interface ItemsRow {
  partitionKey: string;
  rowKey: string;
  items: string;
}

/** Where a long list went: its rows in the companion table and how many items they hold. */
interface ListMarker {
  $items: { key: string; rows: number; count: number };
}

function isMarker(value: unknown): value is ListMarker {
  return typeof value === "object" && value !== null && "$items" in value;
}

/** Whole items per row, each row's JSON within one property. */
function chunks(items: unknown[]): unknown[][] {
  const rows: unknown[][] = [];
  let row: unknown[] = [];
  let size = 2;
  for (const item of items) {
    const length = asciiJson(item).length + 1;
    if (length + 2 > PROPERTY_CHARS) throw new IntentError("SNAPSHOT_NOT_RECORDED", "One item of a snapshot list is larger than a table property holds.");
    if (row.length > 0 && size + length > PROPERTY_CHARS) {
      rows.push(row);
      row = [];
      size = 2;
    }
    row.push(item);
    size += length;
  }
  rows.push(row);
  return rows;
}

export class TableSnapshotStore implements SnapshotStore {
  constructor(
    private readonly snapshots: TableClient,
    private readonly items: TableClient,
  ) {}

  async save(snapshot: RunSnapshot): Promise<void> {
    const values: Record<string, Record<string, unknown>> = {};
    const lists: ItemsRow[] = [];
    for (const [step, outputs] of Object.entries(snapshot.values)) {
      values[step] = {};
      for (const [name, value] of Object.entries(outputs)) {
        if (!Array.isArray(value) || asciiJson(value).length <= INLINE_LIST_CHARS) {
          values[step]![name] = value;
          continue;
        }
        const key = `${encodeURIComponent(step)}.${encodeURIComponent(name)}`;
        const rows = chunks(value);
        rows.forEach((items, i) => lists.push({ partitionKey: snapshot.runId, rowKey: `${key}~${String(i).padStart(5, "0")}`, items: asciiJson(items) }));
        values[step]![name] = { $items: { key, rows: rows.length, count: value.length } } satisfies ListMarker;
      }
    }
    const parts = splitText(asciiJson(values));
    if (parts.length > PARTS_PER_ROW) throw new IntentError("SNAPSHOT_NOT_RECORDED", `The snapshot is larger than a table row holds (${parts.length} parts of ${PROPERTY_CHARS} characters).`);
    const row: SnapshotRow = {
      partitionKey: snapshot.runId, rowKey: SNAPSHOT_ROW, intentName: snapshot.intentName, target: snapshot.target ?? "",
      takenAt: snapshot.takenAt, expiresAt: snapshot.expiresAt, fields: asciiJson(snapshot.fields), parts: parts.length, ...asParts(parts),
    };
    try {
      for (const list of lists) await this.items.upsertEntity(list, "Replace");
      await this.snapshots.upsertEntity(row, "Replace");
    } catch (error) {
      throw storeError("record the run's snapshot", error);
    }
  }

  async read(runId: string): Promise<RunSnapshot | undefined> {
    let row: SnapshotRow;
    try {
      row = await this.snapshots.getEntity<SnapshotRow>(runId, SNAPSHOT_ROW);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read the run's snapshot", error);
    }
    const stored = JSON.parse(partsOf(row, row.parts).join("")) as SnapshotValues;
    const values: SnapshotValues = {};
    for (const [step, outputs] of Object.entries(stored)) {
      values[step] = {};
      for (const [name, value] of Object.entries(outputs)) values[step]![name] = isMarker(value) ? await this.list(runId, value) : value;
    }
    return {
      runId, intentName: row.intentName, ...(row.target ? { target: row.target } : {}), takenAt: row.takenAt, expiresAt: row.expiresAt,
      fields: JSON.parse(row.fields) as Record<string, unknown>, values,
    };
  }

  async linkUndo(runId: string, undoRunId: string, at: string): Promise<void> {
    try {
      await this.snapshots.upsertEntity({ partitionKey: runId, rowKey: `${UNDO_ROW_PREFIX}${undoRunId}`, undoRunId, at }, "Replace");
    } catch (error) {
      throw storeError("link the undo run to its run", error);
    }
  }

  async undoRuns(runId: string): Promise<string[]> {
    const found: string[] = [];
    try {
      const rows = this.snapshots.listEntities<{ undoRunId: string }>({
        queryOptions: { filter: odata`PartitionKey eq ${runId} and RowKey gt ${UNDO_ROW_PREFIX} and RowKey lt ${`${UNDO_ROW_PREFIX}~`}` },
      });
      for await (const row of rows) found.push(row.undoRunId);
    } catch (error) {
      throw storeError("read the run's undo runs", error);
    }
    return found;
  }

  /** Deletes every snapshot (its companion rows and links too) that expired before `now`; how many. */
  async purgeExpired(now: string): Promise<number> {
    let purged = 0;
    try {
      const expired = this.snapshots.listEntities<SnapshotRow>({ queryOptions: { filter: odata`RowKey eq ${SNAPSHOT_ROW} and expiresAt lt ${now}`, select: ["PartitionKey"] } });
      for await (const row of expired) {
        await this.deletePartition(this.items, row.partitionKey);
        await this.deletePartition(this.snapshots, row.partitionKey);
        purged++;
      }
    } catch (error) {
      throw storeError("purge expired snapshots", error);
    }
    return purged;
  }

  private async list(runId: string, marker: ListMarker): Promise<unknown[]> {
    const { key, rows, count } = marker.$items;
    const found = new Map<string, unknown[]>();
    try {
      const listed = this.items.listEntities<ItemsRow>({ queryOptions: { filter: odata`PartitionKey eq ${runId} and RowKey gt ${`${key}~`} and RowKey lt ${`${key}~~`}` } });
      for await (const row of listed) found.set(row.rowKey, JSON.parse(row.items) as unknown[]);
    } catch (error) {
      throw storeError("read a snapshot list", error);
    }
    const items: unknown[] = [];
    for (let i = 0; i < rows; i++) {
      const chunk = found.get(`${key}~${String(i).padStart(5, "0")}`);
      if (!chunk) throw new IntentError("STORE_ERROR", `A snapshot list of run ${runId} is missing part ${i + 1} of ${rows}.`);
      items.push(...chunk);
    }
    if (items.length !== count) throw new IntentError("STORE_ERROR", `A snapshot list of run ${runId} holds ${items.length} items, not ${count}.`);
    return items;
  }

  private async deletePartition(table: TableClient, partition: string): Promise<void> {
    for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ["RowKey"] } })) {
      try {
        await table.deleteEntity(partition, row.rowKey as string);
      } catch (error) {
        if (storageStatus(error) !== 404) throw error;
      }
    }
  }
}
