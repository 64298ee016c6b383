/**
 * Requester policy for a claimed run: asks the engine to judge it, logs the `policy` event (the
 * rule that decided and why, never a payload), and turns a refusal into the run's `denied` result;
 * an `approve` decision goes on to an approval where the deployment can ask for one. A judgement
 * whose reads cannot start within the run's budget is deferred to the continuation.
 */
import { ensureIntentError } from "../../core/errors";
import type { PolicyDecision } from "../../language/policy/types";
import type { EventSink, RunResult } from "../../runtime/types";
import { IN_PROGRESS_MESSAGE } from "../../runtime/run-result";
import type { EngineIntent, PipelineDeps } from "../types";
import type { Judgement } from "../policy/gate";
import type { RunInput } from "./run-input";

export interface Judged {
  /** The run's result when policy refused it, or `running` when its reads could not start in time. */
  refused?: RunResult;
  prefetched?: Judgement["prefetched"];
  /** Policy asks for an approval, and this deployment can ask for one (engine/lifecycle/approval). */
  approve?: PolicyDecision;
}

/** Nothing was read and nothing ran: the run continues from the queue, where it is judged first. */
function deferredJudgement(): RunResult {
  return { status: "running", message: IN_PROGRESS_MESSAGE, steps: [], resumeAfterMs: 0 };
}

export async function judgeRun(deps: PipelineDeps, intent: EngineIntent, { run, fields }: RunInput, events: EventSink, limits: { startBy: number; signal: AbortSignal }): Promise<Judged> {
  let judgement: Judgement;
  try {
    judgement = await deps.engine.judge(intent, { fields, run, settings: deps.services.settings, ...limits });
  } catch (thrown) {
    if (ensureIntentError(thrown).code !== "BUDGET_DEFERRED") throw thrown;
    events("policy_deferred", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId });
    return { refused: deferredJudgement() };
  }
  const { decision } = judgement;
  events("policy", {
    runId: run.runId,
    intentName: run.intentName,
    ticketId: run.ticketId,
    decision: decision.decision,
    rule: decision.rule.source,
    reason: decision.rule.reason,
    requester: decision.requester.kind,
    ...(decision.code ? { code: decision.code } : {}),
  });
  if (decision.decision === "approve" && deps.approvals) return { approve: decision };
  const refused = refusedResult(judgement);
  if (refused) return { refused };
  return judgement.prefetched ? { prefetched: judgement.prefetched } : {};
}

/** A refused run's result: `denied`, no step run, the sentence for the requester and the decision. */
export function refusedResult({ decision, refusal }: Judgement): RunResult | undefined {
  if (!refusal || !decision.code) return undefined;
  return {
    status: "denied",
    message: refusal.userMessage,
    steps: [],
    error: { code: decision.code, message: refusal.detail, fix: refusal.fix },
    policy: decision,
  };
}
