/** The run store's contract: idempotent claims with leases, run records and step checkpoints. */
import type { RunJournal, RunResult, RunStatus } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";

/** What a run record keeps of a result: never the caller-bound outputs (a credential is returned once). */
export type RecordedResult = Omit<RunResult, "outputs">;

export interface RunRecord {
  runId: string;
  ticketId: string;
  intentName: string;
  /** Who asked (meta_data.contact_email, lower-cased) and their name, as the webhook said; "" when it did not. */
  requester?: string;
  requesterName?: string;
  /** The value of the intent's target field (the user it acts on, as the request named them); absent when it has none. */
  target?: string;
  status: RunStatus;
  /** Executions started for this run (a takeover or a retry of a failed run adds one). */
  attempts: number;
  /**
   * Times the run was taken over after the instance running it stopped under it (killed, crashed,
   * or paused or cut off from storage past its lease) since it last started afresh (a claim, a
   * retried failure, an operator's retry); absent = never. A run waiting for its continuation is
   * not counted when its continuation takes it.
   */
  takeovers?: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Epoch ms until which the current owner holds the run. */
  leaseUntil: number;
  /** True while the run waits for its queued continuation. */
  suspended: boolean;
  result?: RecordedResult;
}

/** The right to write a run's record, renewed by a heartbeat; lost when someone else took over. */
export interface Lease {
  readonly record: RunRecord;
  /** True once a conditional write found that another instance owns the run. */
  readonly lost: boolean;
  /** Epoch ms until which the last write that reached the store holds the run: past it, another may take it. */
  readonly heldUntil: number;
  /**
   * Settles (never rejects) once the run index holds the state the claim gave the run. A claim
   * returns before that, so policy reads while the index is written; the run waits for it before
   * its first step or approval, so the abandoned-run sweep (which finds runs through the index) can
   * find every run that may have changed something. Absent: indexed when the claim returned.
   */
  readonly indexed?: Promise<void>;
  /** Made by this claim: nothing of the run is recorded yet, so its checkpoints need no read. */
  readonly fresh?: boolean;
  renew(): Promise<void>;
  /** Records a final result (succeeded / partial / failed) and releases the run. */
  finish(result: RunResult): Promise<RunRecord>;
  /** Records progress of a `running` (or `scheduled`) result and keeps the run reserved for its continuation. */
  suspend(result: RunResult): Promise<RunRecord>;
}

export type ClaimOutcome =
  | { kind: "claimed"; lease: Lease; takenOver: boolean }
  | { kind: "existing"; record: RunRecord };

export type ResumeOutcome =
  | { kind: "claimed"; lease: Lease }
  | { kind: "busy"; record: RunRecord }
  | { kind: "done"; record: RunRecord };

export type ReopenOutcome =
  | { kind: "reopened"; record: RunRecord; restore(): Promise<void> }
  | { kind: "refused"; record: RunRecord };

export interface RunIdentity {
  runId: string;
  ticketId: string;
  intentName: string;
  /** Who asked and whom the run acts on, kept on the record and in the run index (lifecycle/store/run-index.ts). */
  requester?: string;
  requesterName?: string;
  target?: string;
  /**
   * When this delivery arrived (epoch ms). A failed run is retried only by a delivery that arrived
   * after the failure was recorded; a later failure came from a retry running alongside this
   * delivery, which answers for it. Unset: any delivery may retry a failure.
   */
  receivedAt?: number;
  /**
   * The run's mapped input, kept sealed on the run row until the run ends (store/kept-input.ts), so
   * the abandoned-run sweep can resume it without its request. A claim that takes a run over
   * replaces what was kept with this delivery's.
   */
  input?: RunInput;
}

/**
 * Who resumes a run. A continuation takes a suspended run (or one whose lease ran out); a watch only
 * a running run whose lease ran out while it was not suspended; the abandoned-run sweep only a
 * running run whose lease ended at or before `leaseEndedBy` (suspended or not: its continuation is
 * overdue by then).
 */
export type ResumedBy = "continuation" | "watch" | { leaseEndedBy: number };

export interface RunStore {
  /** Atomically claims a run for its idempotency key, or returns the run that already has it. */
  claim(identity: RunIdentity): Promise<ClaimOutcome>;
  /**
   * Claims a suspended (or abandoned) run for its continuation; undefined when there is nothing to
   * do. `from`: the statuses it may be in (default running and scheduled); any other is `done`.
   * `by` (ResumedBy): a watch or the sweep takes only a run its holder abandoned; any other is `busy`.
   */
  resume(runId: string, from?: readonly RunStatus[], by?: ResumedBy): Promise<ResumeOutcome | undefined>;
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * Records that a watch over the run (continue/watch.ts) is to be queued, due at `dueAt` (epoch
   * ms): true when the caller is to queue it, false when one is pending already (of concurrent
   * duplicates, one queues it). `rearm`: the pending watch itself, looking again later.
   */
  markWatch(runId: string, dueAt: number, rearm?: boolean): Promise<boolean>;
  /** Forgets the run's pending watch: it is done, or could not be queued. */
  clearWatch(runId: string): Promise<void>;
  /**
   * The mapped input kept with an unfinished run (RunIdentity.input), its `run.startedAt` the run's
   * createdAt; undefined when none is kept (claimed before inputs were kept, or too large to keep).
   * RUN_ABANDONED when it cannot be opened.
   */
  keptInput(runId: string): Promise<RunInput | undefined>;
  journal(runId: string): RunJournal & { dropFailed(): Promise<void> };
}
