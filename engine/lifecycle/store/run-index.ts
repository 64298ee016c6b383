/**
 * The run index: a second table that answers "which runs…" without reading every run row. Each
 * run has one entity per filter dimension it can be found by, written with the run record:
 *
 *   PartitionKey  `a`                 every run
 *                 `s~failed`          its status (moved when the status changes)
 *                 `i~add user to group`, `t~5678`, `r~adele@contoso.com`, `g~bob@contoso.com`
 *                                     intent, ticket, requester, target (when the run has one)
 *   RowKey        `8264…-<runId>`     9999999999999 − createdAt (ms), zero-padded: newest first, so a
 *                                     time range is one RowKey range inside one partition
 *
 * Every entity carries the run's summary (the columns a list shows), so a page of N runs from one
 * dimension costs N (+1) entities read and no read of the run rows. The run row stays the truth:
 * an index write that fails is reported (`run_index_failed`) and repaired by the next write of
 * that run (every write rewrites all its entities), never allowed to fail the run itself.
 */
import type { TableClient } from "@azure/data-tables";
import { hash } from "node:crypto";
import { ambientEvents } from "../../core/current-events";
import type { RunEntity } from "./run-records";
import { storageStatus } from "./tables";

export const RUN_INDEX_TABLE = "intentrunindex";

export type IndexDimension = "all" | "status" | "intent" | "ticket" | "requester" | "target";

const PREFIX: Readonly<Record<IndexDimension, string>> = { all: "a", status: "s", intent: "i", ticket: "t", requester: "r", target: "g" };

/** What a list shows of a run; every index entity holds it. */
export interface RunSummary {
  runId: string;
  status: string;
  intentName: string;
  ticketId: string;
  requester: string;
  requesterName: string;
  target: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string;
  /** finishedAt − createdAt; absent while the run has not finished. */
  durationMs?: number;
  attempts: number;
  /** The run's error code, when it failed or was refused. */
  errorCode: string;
}

export interface IndexEntity extends RunSummary {
  partitionKey: string;
  rowKey: string;
}

const LATEST_MS = 9_999_999_999_999;
/** A key value longer than this (after escaping) is hashed: keys hold at most 1 KiB. */
const KEY_VALUE_CHARS = 200;

/**
 * Values are compared ignoring case and surrounding spaces. Table keys may not hold / \ # ? or
 * control characters, so the value is percent-encoded (which escapes all of them).
 */
export function keyValue(value: string): string {
  const encoded = encodeURIComponent(value.trim().toLowerCase());
  return encoded.length <= KEY_VALUE_CHARS ? encoded : `sha256-${hash("sha256", encoded, "hex")}`;
}

export function partitionKey(dimension: IndexDimension, value = ""): string {
  return dimension === "all" ? PREFIX.all : `${PREFIX[dimension]}~${keyValue(value)}`;
}

/** The inverted creation time: a smaller key is a newer run. */
export function timeKey(epochMs: number): string {
  return String(LATEST_MS - Math.max(0, Math.min(LATEST_MS, Math.floor(epochMs)))).padStart(13, "0");
}

export function rowKey(createdAtMs: number, runId: string): string {
  return `${timeKey(createdAtMs)}-${runId}`;
}

function errorCodeOf(entity: RunEntity): string {
  if (!entity.result) return "";
  try {
    return (JSON.parse(entity.result) as { error?: { code?: string } }).error?.code ?? "";
  } catch {
    return "";
  }
}

export function summaryOf(entity: RunEntity): RunSummary {
  const finished = entity.finishedAt && entity.status !== "running" ? entity.finishedAt : "";
  const durationMs = finished ? Date.parse(finished) - Date.parse(entity.createdAt) : undefined;
  return {
    runId: entity.partitionKey,
    status: entity.status,
    intentName: entity.intentName,
    ticketId: entity.ticketId,
    requester: entity.requester ?? "",
    requesterName: entity.requesterName ?? "",
    target: entity.target ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    finishedAt: finished,
    ...(durationMs !== undefined && Number.isFinite(durationMs) ? { durationMs: Math.max(0, durationMs) } : {}),
    attempts: entity.attempts,
    errorCode: errorCodeOf(entity),
  };
}

/** The dimensions a run is found by: all, status, intent and ticket always; requester and target when known. */
export function indexEntities(summary: RunSummary): IndexEntity[] {
  const key = rowKey(Date.parse(summary.createdAt), summary.runId);
  const partitions = [
    partitionKey("all"),
    partitionKey("status", summary.status),
    partitionKey("intent", summary.intentName),
    partitionKey("ticket", summary.ticketId),
    ...(summary.requester ? [partitionKey("requester", summary.requester)] : []),
    ...(summary.target ? [partitionKey("target", summary.target)] : []),
  ];
  return partitions.map((partition) => ({ partitionKey: partition, rowKey: key, ...summary }));
}

export interface RunIndexWriter {
  /**
   * Writes the run's entities as `entity` says; `before` is the run row as it was, so a status the
   * run left is removed from its old status partition. Never throws.
   */
  record(entity: RunEntity, before?: RunEntity): Promise<void>;
}

export class TableRunIndex implements RunIndexWriter {
  constructor(private readonly table: TableClient) {}

  async record(entity: RunEntity, before?: RunEntity): Promise<void> {
    const summary = summaryOf(entity);
    try {
      // Upserts first, then the delete: for a moment a run may show under both statuses, never under none.
      await Promise.all(indexEntities(summary).map((row) => this.table.upsertEntity(row, "Replace")));
      if (before && before.status !== entity.status) await this.remove(partitionKey("status", before.status), rowKey(Date.parse(entity.createdAt), summary.runId));
    } catch (thrown) {
      ambientEvents("run_index_failed", { runId: summary.runId, status: summary.status, storageStatus: storageStatus(thrown) ?? null });
    }
  }

  private async remove(partition: string, row: string): Promise<void> {
    try {
      await this.table.deleteEntity(partition, row);
    } catch (error) {
      if (storageStatus(error) !== 404) throw error;
    }
  }
}

/** For stores composed without an index (tests of other parts, the bench). */
export const noRunIndex: RunIndexWriter = { record: async () => undefined };
