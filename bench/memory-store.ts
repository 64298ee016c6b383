/**
 * A run store in process memory, for the benchmarks only: funcapp ships no in-memory store (state
 * lives in Azure Tables), yet the engine's CPU per webhook and the server's throughput without
 * storage are worth knowing. A claim is atomic because it is synchronous in one event loop.
 */
import type { RunResult, StepCheckpoint } from "../engine/runtime/types";
import type { ClaimOutcome, Lease, ResumedBy, ResumeOutcome, RunIdentity, RunRecord, RunStore } from "../engine/lifecycle/store/types";
import type { RunInput } from "../engine/lifecycle/execute/run-input";
import type { ContinuationQueue } from "../engine/lifecycle/continue/types";
import type { FailureNotifier } from "../engine/lifecycle/types";
import type { ScheduleStore } from "../engine/lifecycle/schedule/types";
import { IntentError } from "../engine/core/errors";

function recorded(result: RunResult): RunRecord["result"] {
  const { outputs: _callerOnly, ...kept } = result;
  return kept;
}

export class MemoryRunStore implements RunStore {
  private readonly records = new Map<string, RunRecord>();
  private readonly journals = new Map<string, Map<string, StepCheckpoint>>();

  /**
   * `forgetFinished`: a finished run is dropped at once, so a long CPU loop does not measure the
   * garbage collector walking thousands of kept records (a real store keeps them in Azure, not here).
   */
  constructor(private readonly options: { forgetFinished?: boolean } = {}) {}

  async claim(identity: RunIdentity): Promise<ClaimOutcome> {
    const existing = this.records.get(identity.runId);
    if (existing) return { kind: "existing", record: { ...existing } };
    const now = new Date().toISOString();
    // Identity last, not `{ ...identity, status, … }`: V8 adds keys after a spread on a slow path
    // that cost this store more per run than some intents' whole execution.
    const record: RunRecord = Object.assign({ status: "running" as const, attempts: 1, createdAt: now, updatedAt: now, leaseUntil: Number.MAX_SAFE_INTEGER, suspended: false }, identity);
    this.records.set(identity.runId, record);
    return { kind: "claimed", lease: this.leaseOn(record), takenOver: false };
  }

  async resume(runId: string, _from?: unknown, by: ResumedBy = "continuation"): Promise<ResumeOutcome | undefined> {
    const record = this.records.get(runId);
    if (!record) return undefined;
    // Leases here never run out (one process): a watch or the sweep has nothing to take.
    if (by !== "continuation") return { kind: "busy", record: { ...record } };
    return record.status === "running" ? { kind: "claimed", lease: this.leaseOn(record) } : { kind: "done", record: { ...record } };
  }

  private readonly watches = new Set<string>();

  async markWatch(runId: string, _dueAt: number, rearm = false): Promise<boolean> {
    if (this.watches.has(runId) && !rearm) return false;
    this.watches.add(runId);
    return true;
  }

  async clearWatch(runId: string): Promise<void> {
    this.watches.delete(runId);
  }

  /** Nothing is ever abandoned in one process: no input is kept. */
  async keptInput(_runId: string): Promise<RunInput | undefined> {
    return undefined;
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const record = this.records.get(runId);
    return record && { ...record };
  }

  journal(runId: string) {
    const steps = this.journals.get(runId) ?? new Map<string, StepCheckpoint>();
    this.journals.set(runId, steps);
    return {
      load: async () => Object.fromEntries(steps),
      save: async (stepId: string, checkpoint: StepCheckpoint) => void steps.set(stepId, checkpoint),
      dropFailed: async () => {
        for (const [id, checkpoint] of steps) if (checkpoint.result.status === "failed") steps.delete(id);
      },
    };
  }

  private leaseOn(record: RunRecord): Lease {
    const write = (result: RunResult, suspended: boolean): RunRecord => {
      Object.assign(record, { status: result.status, result: recorded(result), suspended, updatedAt: new Date().toISOString() });
      if (!suspended) record.finishedAt = record.updatedAt;
      if (!suspended && this.options.forgetFinished) {
        this.records.delete(record.runId);
        this.journals.delete(record.runId);
      }
      return { ...record };
    };
    return {
      record,
      lost: false,
      heldUntil: Number.MAX_SAFE_INTEGER,
      renew: async () => undefined,
      finish: async (result) => write(result, false),
      suspend: async (result) => write(result, true),
    };
  }
}

/** Counts continuations instead of running them: a benchmark reports a run that outlived its budget. */
export function countingQueue(): ContinuationQueue & { sent: number } {
  const queue = { sent: 0, send: async () => void (queue.sent += 1) };
  return queue;
}

/** Failure mail is not what the CPU figure is about; the sandbox's mail is measured elsewhere. */
export const silentNotifier: FailureNotifier = { notify: async () => undefined };

/** The benchmarked requests run at once: nothing is scheduled, and an attempt to is a bench error. */
export const unscheduled: ScheduleStore = {
  put: () => Promise.reject(new IntentError("INTERNAL", "The benchmarks schedule nothing.")),
  due: async () => [],
  take: async () => undefined,
  remove: async () => undefined,
  get: async () => undefined,
  list: async () => [],
};
