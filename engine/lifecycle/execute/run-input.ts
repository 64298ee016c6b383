import type { RunContext } from "../../runtime/types";

/**
 * A run's input once its intent mapped it: where a run starts, and what its continuation carries
 * (sealed) to resume from, so nothing is parsed or mapped twice.
 */
export interface RunInput {
  /** The intent's canonical name. */
  intentName: string;
  fields: Record<string, unknown>;
  /** The values of secret fields: masked wherever they might show (failure mail). */
  secretValues: readonly string[];
  run: RunContext;
  /**
   * Requester policy let this run go ahead, or the run is not one policy judges (a change
   * notification's): its continuations run it without judging it again. Absent, a continuation
   * judges the run first: one whose judgement could not start within the budget, or whose refusal
   * could not be recorded.
   */
  cleared?: true;
}
