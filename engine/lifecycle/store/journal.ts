/**
 * Step checkpoints on Azure Tables (PK runId, RK step id), so a resumed or taken-over run restores
 * completed steps instead of sending their writes again.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import type { RunJournal, StepCheckpoint } from "../../runtime/types";
import { storageStatus, storeError } from "./tables";

interface CheckpointEntity {
  partitionKey: string;
  rowKey: string;
  stepId: string;
  checkpoint: string;
}

/** Row keys may not hold / \ # ? or control characters; step ids are short identifiers anyway. */
function rowKeyFor(stepId: string): string {
  return encodeURIComponent(stepId);
}

export class TableRunJournal implements RunJournal {
  constructor(private readonly table: TableClient, private readonly runId: string) {}

  async load(): Promise<Record<string, StepCheckpoint>> {
    const checkpoints: Record<string, StepCheckpoint> = {};
    try {
      const rows = this.table.listEntities<CheckpointEntity>({ queryOptions: { filter: odata`PartitionKey eq ${this.runId}` } });
      for await (const row of rows) checkpoints[row.stepId] = JSON.parse(row.checkpoint) as StepCheckpoint;
    } catch (error) {
      throw storeError("load the run's checkpoints", error);
    }
    return checkpoints;
  }

  async save(stepId: string, checkpoint: StepCheckpoint): Promise<void> {
    const entity: CheckpointEntity = { partitionKey: this.runId, rowKey: rowKeyFor(stepId), stepId, checkpoint: JSON.stringify(checkpoint) };
    try {
      await this.table.upsertEntity(entity, "Replace");
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
}
