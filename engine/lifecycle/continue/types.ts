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
}

export interface ContinuationQueue {
  send(message: ContinuationMessage, delayMs: number): Promise<void>;
}
