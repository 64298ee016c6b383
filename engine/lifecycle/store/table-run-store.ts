/**
 * The run store on Azure Tables. A claim is an atomic conditional insert of the run's row; a
 * second delivery gets 409 and reads the row. A crashed claim (lease expired) or a failed run is
 * taken over with an ETag-conditional update, so exactly one contender wins there too; the losers
 * (412) answer as duplicates of the winner's execution.
 */
import type { TableClient } from "@azure/data-tables";
import { randomUUID } from "node:crypto";
import type { Clock, RunStatus } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import { keptInputColumns, openKeptInput, withoutKeptInput } from "./kept-input";
import { TableRunJournal } from "./journal";
import { noRunIndex, type RunIndexWriter } from "./run-index";
import { RUN_ROW, strip, toRecord, type RunEntity } from "./run-records";
import { TableLease } from "./table-lease";
import { TableWatchMarks } from "./watch-marks";
import { storageStatus, storeError } from "./tables";
import type { ClaimOutcome, Lease, ReopenOutcome, ResumedBy, ResumeOutcome, RunIdentity, RunRecord, RunStore } from "./types";

export interface TableRunStoreOptions {
  runs: TableClient;
  steps: TableClient;
  clock: Clock;
  /** How long a claim holds without a heartbeat before another instance may take it over. */
  leaseMs: number;
  /** Names this instance in the row, for diagnosis. */
  owner?: string;
  /** Where every state the run reaches is indexed for the console's lists (./run-index.ts); none by default. */
  index?: RunIndexWriter;
  /** The shared secret, from which the key sealing checkpointed secrets is derived. */
  sealKey: () => Promise<string>;
}

const MAX_CLAIM_ROUNDS = 5;
/** What a continuation may resume: a run that outlived its budget, or one whose time has come. */
const RESUMABLE: readonly RunStatus[] = ["running", "scheduled"];

/** Partial, failed and denied runs may run again on a later delivery (a denial is judged again: the tenant or policy may have changed). */
function retryable(entity: RunEntity): boolean {
  return entity.status === "failed" || entity.status === "partial" || entity.status === "denied";
}

function failedBefore(entity: RunEntity, receivedAt: number | undefined): boolean {
  if (receivedAt === undefined) return true;
  return Date.parse(entity.finishedAt || entity.updatedAt) < receivedAt;
}

export class TableRunStore implements RunStore {
  private readonly owner: string;
  private readonly index: RunIndexWriter;
  private readonly watches: TableWatchMarks;

  constructor(private readonly options: TableRunStoreOptions) {
    this.owner = options.owner ?? randomUUID();
    this.index = options.index ?? noRunIndex;
    this.watches = new TableWatchMarks(options.runs, options.clock);
  }

  markWatch(runId: string, dueAt: number, rearm = false): Promise<boolean> {
    return this.watches.mark(runId, dueAt, rearm);
  }

  clearWatch(runId: string): Promise<void> {
    return this.watches.clear(runId);
  }

  async claim(identity: RunIdentity): Promise<ClaimOutcome> {
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const created = await this.tryCreate(identity);
      if (created) return { kind: "claimed", lease: created, takenOver: false };
      const existing = await this.read(identity.runId);
      if (!existing) continue; // deleted between our insert and read: insert again
      if (!this.takeable(existing, { receivedAt: identity.receivedAt })) return { kind: "existing", record: toRecord(existing) };
      const taken = await this.takeOver(existing, identity.input);
      if (taken === "gone") continue;
      if (taken !== "lost") return { kind: "claimed", lease: taken, takenOver: true };
      // Another delivery took the run between our read and our write: that one executes it. Looking
      // again could find its retry already failed and retry once more, so answer as a duplicate.
      const winner = await this.read(identity.runId);
      if (winner) return { kind: "existing", record: toRecord(winner) };
    }
    throw storeError("claim the run (too much contention)", undefined);
  }

  async resume(runId: string, from: readonly RunStatus[] = RESUMABLE, by: ResumedBy = "continuation"): Promise<ResumeOutcome | undefined> {
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const existing = await this.read(runId);
      if (!existing) return undefined;
      if (!from.includes(existing.status)) return { kind: "done" as const, record: toRecord(existing) };
      // A run waiting for its approval is taken by a decision alone, whatever its lease says.
      if (existing.status !== "awaiting_approval" && !this.takeable(existing, by)) return { kind: "busy" as const, record: toRecord(existing) };
      const taken = await this.takeOver(existing);
      if (typeof taken !== "string") return { kind: "claimed" as const, lease: taken };
    }
    throw storeError("resume the run (too much contention)", undefined);
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const entity = await this.read(runId);
    return entity ? toRecord(entity) : undefined;
  }

  async keptInput(runId: string): Promise<RunInput | undefined> {
    const entity = await this.read(runId);
    return entity ? openKeptInput(entity, entity.createdAt, await this.options.sealKey()) : undefined;
  }

  /**
   * Reopens a finished run an operator retries: it becomes `running` and suspended, reserved (a
   * lease) for the continuation that will run it, its failed checkpoints dropped so those steps
   * run again and completed ones do not. ETag-conditional, so of two concurrent retries one wins.
   * `restore` puts the run back as it was when its continuation cannot be queued. `input` (the
   * kept request the retry runs) is kept with the run as a claim's is.
   */
  async reopen(runId: string, reopenable: (status: string) => boolean, input?: RunInput): Promise<ReopenOutcome | undefined> {
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const existing = await this.read(runId);
      if (!existing) return undefined;
      if (!reopenable(existing.status)) return { kind: "refused", record: toRecord(existing) };
      const now = this.options.clock.now();
      const next: RunEntity = {
        ...(await this.withInput(existing, input)), status: "running", updatedAt: new Date(now).toISOString(), leaseUntil: now + this.options.leaseMs,
        owner: this.owner, suspended: true, result: "", finishedAt: "", takeovers: 0,
      };
      let etag: string | undefined;
      try {
        etag = (await this.options.runs.updateEntity(strip(next), "Replace", { etag: existing.etag })).etag;
      } catch (error) {
        const status = storageStatus(error);
        if (status === 412) continue;
        if (status === 404) return undefined;
        throw storeError("reopen the run", error);
      }
      await this.index.record(next, existing);
      await this.journal(runId).dropFailed();
      const restore = async () => {
        try {
          await this.options.runs.updateEntity(strip({ ...existing, updatedAt: new Date(this.options.clock.now()).toISOString() }), "Replace", { etag });
          await this.index.record(existing, next);
        } catch (error) {
          if (storageStatus(error) !== 412) throw storeError("restore the run", error);
        }
      };
      return { kind: "reopened", record: toRecord(next), restore };
    }
    throw storeError("reopen the run (too much contention)", undefined);
  }

  journal(runId: string) {
    return new TableRunJournal(this.options.steps, runId, this.options.sealKey);
  }

  /**
   * Succeeded and cancelled runs are final. A partial, failed or denied run may be retried by a
   * redelivery that arrived after it ended: its failed steps run again, its completed ones are
   * restored (a denied run is judged again: the tenant or the policy may have changed). A running
   * run is taken only when its lease expired (crash), or by its own continuation while suspended;
   * a scheduled run only by its own wake-up. A watch takes only a running run whose lease ran out
   * while it was not suspended; the sweep only a running run whose lease ended by its bound.
   */
  private takeable(entity: RunEntity, by: ResumedBy | { receivedAt: number | undefined }): boolean {
    if (by === "watch") return entity.status === "running" && !entity.suspended && entity.leaseUntil <= this.options.clock.now();
    if (typeof by === "object" && "leaseEndedBy" in by) {
      return entity.status === "running" && entity.leaseUntil <= Math.min(by.leaseEndedBy, this.options.clock.now());
    }
    const continuation = by === "continuation";
    if (retryable(entity)) return !continuation && failedBefore(entity, by.receivedAt);
    if (entity.status === "scheduled") return continuation && entity.suspended;
    if (entity.status !== "running") return false;
    if (continuation && entity.suspended) return true;
    return entity.leaseUntil <= this.options.clock.now();
  }

  private async tryCreate(identity: RunIdentity): Promise<Lease | undefined> {
    const now = this.options.clock.now();
    const stamp = new Date(now).toISOString();
    const entity: RunEntity = {
      partitionKey: identity.runId, rowKey: RUN_ROW, ticketId: identity.ticketId, intentName: identity.intentName,
      ...(identity.requester ? { requester: identity.requester } : {}),
      ...(identity.requesterName ? { requesterName: identity.requesterName } : {}),
      ...(identity.target ? { target: identity.target } : {}),
      status: "running", attempts: 1, createdAt: stamp, updatedAt: stamp, leaseUntil: now + this.options.leaseMs,
      owner: this.owner, suspended: false, result: "",
      ...(identity.input ? keptInputColumns(identity.input, await this.options.sealKey()) : {}),
    };
    try {
      const response = await this.options.runs.createEntity(entity);
      // Indexed while the run is judged: the lease's first write and the run's first step wait for it (Lease.indexed).
      return this.lease({ ...entity, etag: response.etag }, this.index.record(entity), true);
    } catch (error) {
      if (storageStatus(error) === 409) return undefined;
      throw storeError("claim the run", error);
    }
  }

  /** "lost": another contender's conditional write came first (412); "gone": the row was deleted (404). */
  private async takeOver(entity: RunEntity, input?: RunInput): Promise<Lease | "lost" | "gone"> {
    const now = this.options.clock.now();
    const retryingFailure = retryable(entity);
    // Its holder stopped under it: no end recorded, not waiting for a continuation, its lease run out.
    const stoppedUnderHolder = entity.status === "running" && !entity.suspended && entity.leaseUntil <= now;
    const next: RunEntity = {
      ...(await this.withInput(entity, input)), status: "running", attempts: entity.attempts + 1, updatedAt: new Date(now).toISOString(),
      leaseUntil: now + this.options.leaseMs, owner: this.owner, suspended: false,
      ...(stoppedUnderHolder ? { takeovers: (entity.takeovers ?? 0) + 1 } : {}),
      // A retried failure starts a fresh result (and a fresh count of takeovers: someone chose to
      // run it again); a takeover keeps the progress recorded so far.
      ...(retryingFailure ? { result: "", finishedAt: "", takeovers: 0 } : {}),
    };
    try {
      const response = await this.options.runs.updateEntity(strip(next), "Replace", { etag: entity.etag });
      await this.index.record(next, entity);
      if (retryingFailure) await this.journal(entity.partitionKey).dropFailed();
      return this.lease({ ...next, etag: response.etag });
    } catch (error) {
      const status = storageStatus(error);
      if (status === 412) return "lost";
      if (status === 404) return "gone";
      throw storeError("take over the run", error);
    }
  }

  /** The row keeping `input` instead of what it kept, or as it is when there is no new input. */
  private async withInput(entity: RunEntity, input: RunInput | undefined): Promise<RunEntity> {
    if (!input) return entity;
    return { ...withoutKeptInput(entity), ...keptInputColumns(input, await this.options.sealKey()) };
  }

  private lease(entity: RunEntity, indexed?: Promise<void>, fresh = false): Lease {
    return new TableLease(this.options.runs, entity, this.options.clock, this.options.leaseMs, this.index, indexed, fresh);
  }

  private async read(runId: string): Promise<RunEntity | undefined> {
    try {
      return await this.options.runs.getEntity<RunEntity>(runId, RUN_ROW);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read the run", error);
    }
  }
}
