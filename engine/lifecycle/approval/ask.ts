/** Requester policy's `approve` decision → the approval it asks for: its approvers, requester and target. */
import type { PolicyDecision } from "../../language/policy/types";
import type { EventSink, RunResult } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { EngineIntent, PipelineDeps } from "../types";
import type { ApproverRef } from "./approvers";
import type { ApprovalDeps } from "./deps";
import { requestApproval } from "./request";

export async function askForApproval(
  deps: PipelineDeps, approvals: ApprovalDeps, intent: EngineIntent, input: RunInput, decision: PolicyDecision, events: EventSink,
): Promise<RunResult> {
  const refs: ApproverRef[] = decision.approvers;
  const requesterId = decision.requester.id;
  const targetId = decision.target?.id;
  const result = await requestApproval(deps, approvals, intent, input, {
    who: { refs },
    ...(requesterId ? { requesterId } : {}),
    requesterIsTarget: requesterId !== undefined && requesterId === targetId,
    ...(decision.target ? { target: decision.target.value } : {}),
  }, events);
  return { ...result, policy: decision };
}
