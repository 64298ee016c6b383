/**
 * A waiting run that will not go ahead (denied, expired, or its input unreadable): it is claimed from `awaiting_approval`,
 * reported (the PSA note, the requester's mail: the run answered 202 before) and recorded with its
 * approval, without a step run. Reporting comes first, so a failed record write reports again.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink, RunContext, RunResult } from "../../runtime/types";
import { unseal } from "../continue/sealing";
import type { RunInput } from "../execute/run-input";
import type { PipelineDeps } from "../types";
import { summaryOf, type ApprovalRecord } from "./types";

/** The run's input from the approval record; undefined when it cannot be opened (the shared secret changed). */
export async function openInput(deps: PipelineDeps, record: ApprovalRecord): Promise<RunInput | undefined> {
  try {
    return unseal(record.sealedInput, await deps.settings.sharedSecret()) as RunInput;
  } catch {
    return undefined;
  }
}

/** Who asked, from the record, when the sealed input cannot be opened. */
function contextOf(record: ApprovalRecord): RunContext {
  return { runId: record.runId, ticketId: record.ticketId, intentName: record.intentName, contactName: record.requester.name, contactEmail: record.requester.email, companyName: "" };
}

function outcome(record: ApprovalRecord): RunResult {
  const decision = record.decision;
  if (record.state === "denied") {
    const reason = decision?.comment ? ` They said: "${decision.comment}"` : "";
    return {
      status: "denied",
      message: `Your request was not approved${decision ? ` by ${decision.by.name}` : ""}, so nothing was changed.${reason}`,
      steps: [],
      error: new IntentError("APPROVAL_DENIED", `${decision?.by.name ?? "An approver"} (${decision?.by.address ?? "unknown"}) denied the run.`, {
        fix: "Nothing to do unless the request should go ahead: then the approver, or an allowed requester, asks again.",
      }).toJSON(),
      approval: summaryOf(record),
    };
  }
  if (record.state === "cancelled") {
    return {
      status: "failed",
      message: "Your request could not go ahead after its approval; please send it again.",
      steps: [],
      error: new IntentError("RUN_ABANDONED", "The run's input could not be opened after its approval (the shared secret changed since it was sealed).", {
        fix: "Send the request again from Thread; nothing was changed.",
      }).toJSON(),
      approval: summaryOf(record),
    };
  }
  return {
    status: "expired",
    message: "Your request was not approved in time, so nothing was changed; please ask again if it is still needed.",
    steps: [],
    error: new IntentError("APPROVAL_EXPIRED", `Nobody approved the run before ${new Date(record.expiresAt).toISOString()}.`, {
      fix: "Ask the approvers to decide sooner, or raise APPROVAL_LIFETIME_HOURS; the requester may send the request again.",
    }).toJSON(),
    approval: summaryOf(record),
  };
}

/** Ends the run of a denied, expired or cancelled approval; a run no longer waiting (ended already) is left as it is. */
export async function endWaitingRun(deps: PipelineDeps, record: ApprovalRecord, events: EventSink): Promise<void> {
  const resumed = await deps.store.resume(record.runId, ["awaiting_approval"]);
  if (resumed?.kind !== "claimed") {
    events("approval.run_not_waiting", { runId: record.runId, approvalId: record.approvalId, status: resumed?.record.status ?? "unknown run" });
    return;
  }
  const { lease } = resumed;
  const input = await openInput(deps, record);
  const run = input?.run ?? contextOf(record);
  const result = outcome(record);
  const state = result.status === "denied" ? "denied" : result.status === "failed" ? "failed" : "expired";
  const detail = state === "failed" ? undefined : state === "denied"
    ? `Denied by ${record.decision?.by.name ?? "an approver"} (${record.decision?.by.address ?? "unknown"}) at ${record.decision?.at ?? "an unknown time"}${record.decision?.comment ? `: "${record.decision.comment}"` : ""}.`
    : `Nobody of ${record.approvers.map((a) => a.name).join(", ")} approved it before ${new Date(record.expiresAt).toISOString()}.`;
  try {
    await deps.reporter.report({ state, run, message: result.message, steps: [], ...(result.error ? { error: result.error } : {}), secretValues: input?.secretValues ?? [], accepted: true, ...(detail ? { detail } : {}) }, events);
    await lease.finish(result);
  } catch (thrown) {
    // The run stays claimed until its lease runs out; the sweeper or the next reader ends it then.
    events("approval.end_failed", { runId: record.runId, approvalId: record.approvalId, code: ensureIntentError(thrown).code });
    throw thrown;
  }
  events("result", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId, status: state, errorCode: result.error?.code });
}
