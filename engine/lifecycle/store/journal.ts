/**
 * Step checkpoints on Azure Tables (PK runId, RK step id), so a resumed or taken-over run restores
 * completed steps instead of sending their writes again. A checkpoint's secrets (a generated
 * credential not yet delivered) are sealed (AES-256-GCM, a key derived from the shared secret)
 * before they leave the process, and gone once the run saves the checkpoint again without them. A
 * checkpoint longer than a row holds is split over parts and overflow rows (written first; the
 * step's own row commits them), and its recorded result is summarised past a size, never its
 * outputs, which later steps read.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import type { RunJournal, StepCheckpoint } from "../../runtime/types";
import { seal, unseal } from "../continue/sealing";
import { asciiJson, boundedJson } from "./summarise";
import { storageStatus, storeError } from "./tables";
import { asParts, PARTS_PER_ROW, partsOf, splitText } from "./table-text";

/** What a step's result may take of its checkpoint; the rest is its outputs. */
export const CHECKPOINT_RESULT_CHARS = 30_000;

interface CheckpointRow {
  partitionKey: string;
  rowKey: string;
  /** Empty on overflow rows. */
  stepId: string;
  /** Parts in all, over this row and its overflow rows. */
  parts?: number;
  /** Before parts existed, the whole checkpoint was this one property. */
  checkpoint?: string;
  [part: `part${number}`]: string;
}

/** Row keys may not hold / \ # ? or control characters; step ids are short identifiers anyway. */
function rowKeyFor(stepId: string): string {
  return encodeURIComponent(stepId);
}

function overflowKey(rowKey: string, index: number): string {
  return `${rowKey}~${index}`;
}

/** A checkpoint as stored: its secrets sealed into one opaque string. */
type StoredCheckpoint = Omit<StepCheckpoint, "secrets"> & { sealed?: string };

export class TableRunJournal implements RunJournal {
  /** `sealKey`: the shared secret, from which the sealing key is derived. */
  constructor(private readonly table: TableClient, private readonly runId: string, private readonly sealKey: () => Promise<string>) {}

  private async serialise(checkpoint: StepCheckpoint): Promise<string> {
    const { secrets, ...rest } = checkpoint;
    const result = JSON.parse(boundedJson(rest.result, CHECKPOINT_RESULT_CHARS)) as StepCheckpoint["result"];
    const stored: StoredCheckpoint = { ...rest, result };
    if (secrets) stored.sealed = seal(secrets, await this.sealKey(), "run-secrets");
    return asciiJson(stored);
  }

  /** A checkpoint whose sealed secrets cannot be opened (the shared secret was rotated) is not restorable. */
  private async parse(text: string): Promise<StepCheckpoint | undefined> {
    const { sealed, ...rest } = JSON.parse(text) as StoredCheckpoint;
    if (sealed === undefined) return rest;
    try {
      return { ...rest, secrets: unseal(sealed, await this.sealKey(), "run-secrets") as Record<string, string> };
    } catch {
      return undefined;
    }
  }

  async load(): Promise<Record<string, StepCheckpoint>> {
    const rows = new Map<string, CheckpointRow>();
    try {
      const listed = this.table.listEntities<CheckpointRow>({ queryOptions: { filter: odata`PartitionKey eq ${this.runId}` } });
      for await (const row of listed) rows.set(row.rowKey, row);
    } catch (error) {
      throw storeError("load the run's checkpoints", error);
    }
    const checkpoints: Record<string, StepCheckpoint> = {};
    for (const row of rows.values()) {
      if (!row.stepId) continue;
      const text = row.checkpoint ?? this.assemble(row, rows);
      const checkpoint = text === undefined ? undefined : await this.parse(text);
      if (checkpoint) checkpoints[row.stepId] = checkpoint;
    }
    return checkpoints;
  }

  async save(stepId: string, checkpoint: StepCheckpoint): Promise<void> {
    const rowKey = rowKeyFor(stepId);
    const parts = splitText(await this.serialise(checkpoint));
    try {
      for (let start = PARTS_PER_ROW, index = 1; start < parts.length; start += PARTS_PER_ROW, index++) {
        const overflow = { partitionKey: this.runId, rowKey: overflowKey(rowKey, index), stepId: "", ...asParts(parts.slice(start, start + PARTS_PER_ROW)) };
        await this.table.upsertEntity(overflow, "Replace");
      }
      const row = { partitionKey: this.runId, rowKey, stepId, parts: parts.length, ...asParts(parts.slice(0, PARTS_PER_ROW)) };
      await this.table.upsertEntity(row, "Replace");
    } catch (error) {
      throw storeError("save a step checkpoint", error);
    }
  }

  /** A failed run retried by a redelivery keeps its completed steps and runs its failed ones again. */
  async dropFailed(): Promise<void> {
    const checkpoints = await this.load();
    for (const [stepId, checkpoint] of Object.entries(checkpoints)) {
      if (checkpoint.result.status !== "failed") continue;
      try {
        await this.table.deleteEntity(this.runId, rowKeyFor(stepId));
      } catch (error) {
        if (storageStatus(error) !== 404) throw storeError("clear a failed checkpoint", error);
      }
    }
  }

  /** The checkpoint text from a row and its overflow rows; undefined while an overflow row is missing. */
  private assemble(row: CheckpointRow, rows: Map<string, CheckpointRow>): string | undefined {
    const total = row.parts ?? 0;
    const parts = partsOf(row, Math.min(total, PARTS_PER_ROW));
    for (let index = 1; parts.length < total; index++) {
      const overflow = rows.get(overflowKey(row.rowKey, index));
      if (!overflow) return undefined;
      parts.push(...partsOf(overflow, Math.min(total - parts.length, PARTS_PER_ROW)));
    }
    return parts.join("");
  }
}
