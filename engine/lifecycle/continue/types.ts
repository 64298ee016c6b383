import type { RunInput } from "../execute/run-input";

/** The continuation of a run that outlived its budget: its mapped input (secret fields included). */
export interface ContinuationMessage {
  runId: string;
  input: RunInput;
  /**
   * A watch, not a continuation: it takes the run only once its holder's lease has run out with the
   * run neither finished nor waiting for a continuation of its own (see ./watch.ts).
   */
  watch?: boolean;
  /** Set when an approval let the run go on: it is claimed from `awaiting_approval`, its plan checked again. */
  approvalId?: string;
}

export interface ContinuationQueue {
  send(message: ContinuationMessage, delayMs: number): Promise<void>;
}

/** Runs the run index lists as `running`, newest first, a page at a time (store/run-index.ts, runs/run-query.ts). */
export interface RunningRuns {
  /** Ids of running runs created at or before `createdBy` (epoch ms); `next` continues the list. */
  page(createdBy: number, after?: string): Promise<{ runIds: string[]; next?: string }>;
}
