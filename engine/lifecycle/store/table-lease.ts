/**
 * One instance's hold on a run row. Every write is conditional on the ETag of our last write, so
 * an instance that stalled past its lease and was taken over learns it instead of overwriting.
 */
import type { TableClient } from "@azure/data-tables";
import type { Clock, RunResult } from "../../runtime/types";
import { withoutKeptInput } from "./kept-input";
import type { RunIndexWriter } from "./run-index";
import { recordable, strip, toRecord, type RunEntity } from "./run-records";
import { storageStatus, storeError } from "./tables";
import type { Lease, RunRecord } from "./types";

export class TableLease implements Lease {
  private current: RunEntity;
  private lostLease = false;

  constructor(
    private readonly table: TableClient,
    entity: RunEntity,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    private readonly index: RunIndexWriter,
    /** The claim's index write, still going on: the lease's own index writes come after it. */
    readonly indexed: Promise<void> = Promise.resolve(),
    readonly fresh = false,
  ) {
    this.current = entity;
  }

  get record(): RunRecord {
    return toRecord(this.current);
  }

  get lost(): boolean {
    return this.lostLease;
  }

  get heldUntil(): number {
    return this.current.leaseUntil;
  }

  async renew(): Promise<void> {
    if (this.lostLease) return;
    await this.write({ leaseUntil: this.clock.now() + this.leaseMs });
  }

  async finish(result: RunResult): Promise<RunRecord> {
    const stamp = new Date(this.clock.now()).toISOString();
    // An ended run needs its kept input no more; one awaiting approval goes on after the decision.
    await this.write({ status: result.status, result: recordable(result), finishedAt: stamp, leaseUntil: 0, suspended: false }, result.status !== "awaiting_approval");
    return this.record;
  }

  async suspend(result: RunResult): Promise<RunRecord> {
    // Reserve the run past the resume time, so redeliveries wait for the queued continuation. A
    // scheduled run is never taken by a redelivery (store: takeable), only by its own wake-up.
    const leaseUntil = this.clock.now() + (result.resumeAfterMs ?? 0) + this.leaseMs;
    const status = result.status === "scheduled" ? "scheduled" : "running";
    await this.write({ status, result: recordable(result), leaseUntil, suspended: true });
    return this.record;
  }

  private async write(changes: Partial<RunEntity>, dropInput = false): Promise<void> {
    if (this.lostLease) return;
    const before = this.current;
    const next: RunEntity = { ...(dropInput ? withoutKeptInput(before) : before), ...changes, updatedAt: new Date(this.clock.now()).toISOString() };
    try {
      const response = await this.table.updateEntity(strip(next), "Replace", { etag: before.etag });
      this.current = { ...next, etag: response.etag };
    } catch (error) {
      if (storageStatus(error) === 412) {
        this.lostLease = true;
        return;
      }
      throw storeError("record the run", error);
    }
    // A heartbeat changes nothing a list shows.
    if (changes.status === undefined) return;
    // After the claim's entities, so the status partition it wrote is the one this write moves the run out of.
    await this.indexed;
    await this.index.record(this.current, before);
  }
}
