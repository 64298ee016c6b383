import type { RunInput } from "../execute/run-input";

/** The continuation of a run that outlived its budget: its mapped input (secret fields included). */
export interface ContinuationMessage {
  runId: string;
  input: RunInput;
}

export interface ContinuationQueue {
  send(message: ContinuationMessage, delayMs: number): Promise<void>;
}
