/**
 * An approved run, taken from the queue: before its first write it is planned again against the
 * tenant as it is now. The same plan → it runs, live. Another plan (someone changed the tenant
 * since) → the approval is superseded and the same approvers are asked about the new plan: what
 * runs is only ever what somebody approved. A run that already wrote (a crashed delivery resumed
 * from its checkpoints) confirmed its plan before its first write and is not asked again.
 */
import { IntentError } from "../../core/errors";
import { FAILED_MESSAGE } from "../../runtime/run-result";
import type { ExecuteOptions } from "../../runtime/interpreter";
import type { EventSink, RunResult } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { Lease } from "../store/types";
import type { EngineIntent, PipelineDeps } from "../types";
import { planRun, requestApproval } from "./request";
import { summaryOf, type ApprovalRecord } from "./types";

export interface ApprovedRun {
  intent: EngineIntent;
  input: RunInput;
  lease: Lease;
  approvalId: string;
}

/** What the runner gives every live pass of the engine: its deadline, attempt and stop signal. */
export type LivePass = Pick<ExecuteOptions, "deadline" | "attempt" | "signal">;

function cannotApply(message: string): RunResult {
  return { status: "failed", message: FAILED_MESSAGE, steps: [], error: new IntentError("APPROVAL_CLOSED", message, { fix: "Send the request again from Thread." }).toJSON() };
}

async function execute(deps: PipelineDeps, claimed: ApprovedRun, record: ApprovalRecord, events: EventSink, pass: LivePass): Promise<RunResult> {
  const { input } = claimed;
  const result = await deps.engine.execute(claimed.intent, {
    fields: input.fields,
    run: input.run,
    services: Object.assign({}, deps.services, { events }),
    journal: deps.store.journal(input.run.runId),
    ...pass,
  });
  return { ...result, approval: summaryOf(record) };
}

export async function applyApproved(deps: PipelineDeps, claimed: ApprovedRun, events: EventSink, pass: LivePass): Promise<RunResult> {
  const { runId } = claimed.input.run;
  const approvals = deps.approvals;
  if (!approvals) return cannotApply("Approvals are not configured on this instance.");
  const record = await approvals.store.get(claimed.approvalId);
  if (!record || record.runId !== runId || record.state !== "approved") return cannotApply("The run's approval is not an approval of this run.");
  if (Object.keys(await deps.store.journal(runId).load()).length > 0) return execute(deps, claimed, record, events, pass);
  const made = await planRun(deps, approvals, claimed.intent, claimed.input, events);
  if ("failed" in made) return { ...made.failed, approval: summaryOf(record) };
  if (made.plan.fingerprint === record.plan.fingerprint) {
    events("approval.applied", { runId, approvalId: record.approvalId });
    return execute(deps, claimed, record, events, pass);
  }
  // Superseded first: should the new request fail, nobody can still act on the old one.
  const superseded = await approvals.store.update(record, { state: "superseded" });
  events("approval.plan_changed", { runId, approvalId: record.approvalId, before: record.plan.changes.length, after: made.plan.changes.length });
  return requestApproval(deps, approvals, claimed.intent, claimed.input, {
    who: { approvers: record.approvers },
    ...(record.requester.id ? { requesterId: record.requester.id } : {}),
    requesterIsTarget: false,
    ...(record.target ? { target: record.target } : {}),
    supersedes: superseded ?? record,
  }, events, made.plan);
}
