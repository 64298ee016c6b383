/** Converting between run records and their Table entities (one row per run: PK runId, RK "run"). */
import type { RunResult } from "../../runtime/types";
import type { KeptInputColumns } from "./kept-input";
import { boundedJson } from "./summarise";
import { PROPERTY_CHARS } from "./table-text";
import type { RecordedResult, RunRecord } from "./types";

export const RUN_ROW = "run";

/** The record's own columns as they are, plus the table keys, the lease owner, the result as JSON and the kept input (sealed). */
export interface RunEntity extends Omit<RunRecord, "runId" | "result">, KeptInputColumns {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  owner: string;
  /** JSON of RecordedResult; "" while nothing is recorded. */
  result: string;
}

export function toRecord(entity: RunEntity): RunRecord {
  return {
    runId: entity.partitionKey,
    ticketId: entity.ticketId,
    intentName: entity.intentName,
    ...(entity.requester ? { requester: entity.requester } : {}),
    ...(entity.requesterName ? { requesterName: entity.requesterName } : {}),
    ...(entity.target ? { target: entity.target } : {}),
    status: entity.status,
    attempts: entity.attempts,
    ...(entity.takeovers ? { takeovers: entity.takeovers } : {}),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    ...(entity.finishedAt ? { finishedAt: entity.finishedAt } : {}),
    leaseUntil: entity.leaseUntil,
    suspended: entity.suspended,
    ...(entity.result ? { result: JSON.parse(entity.result) as RecordedResult } : {}),
  };
}

/**
 * Drops outputs: a credential the intent returns to the caller is returned once, never stored. The
 * rest is one Table property, so past 64 KiB its largest values are summarised (whole, never cut).
 */
export function recordable(result: RunResult): string {
  const { outputs: _outputs, ...kept } = result;
  return boundedJson(kept, PROPERTY_CHARS);
}

/** The SDK would send `etag` and odata metadata back as properties otherwise. */
export function strip(entity: RunEntity): RunEntity {
  const { etag: _etag, ...rest } = entity as RunEntity & { timestamp?: unknown; "odata.metadata"?: unknown };
  const cleaned = { ...rest } as Record<string, unknown>;
  delete cleaned.timestamp;
  delete cleaned["odata.metadata"];
  return cleaned as unknown as RunEntity;
}
