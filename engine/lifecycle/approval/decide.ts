/**
 * Approving or denying, whatever carried the decision (the mailed link's page, the operator
 * console): the approval must be pending and not expired, the person one of its approvers and not
 * the requester. The decision is one conditional write, so of two that race exactly one counts.
 * Approved: the run's continuation is queued (its plan is checked again before anything is
 * written). Denied: the run ends `denied`, reported to the requester, without a write.
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { approvalsOf } from "./configured";
import { endWaitingRun } from "./end-run";
import { expireApproval } from "./expire";
import { queueApproved } from "./queue-approved";
import type { ApprovalDecision, ApprovalRecord, Approver } from "./types";

export interface DecisionRequest {
  approvalId: string;
  decision: "approve" | "deny";
  /** Who decides: their mail address (and object id when the caller knows it). */
  approver: { address: string; id?: string };
  comment?: string;
  via: ApprovalDecision["via"];
}

/** Comments are kept short and on few lines: they go into a PSA note and a mail. */
export const MAX_COMMENT = 1000;

function cleanComment(comment: string | undefined): string | undefined {
  // Control characters (other than line breaks) have no place in a note or a mail.
  const text = (comment ?? "").replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ").trim();
  return text ? text.slice(0, MAX_COMMENT) : undefined;
}

export function closedError(record: ApprovalRecord): IntentError {
  const decision = record.decision;
  const said = record.state === "approved" || record.state === "denied"
    ? `It was ${record.state} by ${decision?.by.name ?? "an approver"} at ${decision?.at ?? "an earlier time"}.`
    : record.state === "superseded" ? "The tenant changed after it was approved, so a newer approval replaced it."
    : record.state === "expired" ? "It expired before anyone decided."
    : "It was cancelled: its approvers could not be asked.";
  return new IntentError(record.state === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_CLOSED", `This approval is no longer open. ${said}`, {
    details: { state: record.state, ...(decision ? { decidedBy: decision.by, decidedAt: decision.at } : {}) },
    fix: "Nothing runs twice; to change the outcome, the requester asks again.",
  });
}

function approverOf(record: ApprovalRecord, who: DecisionRequest["approver"]): Approver | undefined {
  const address = who.address.trim().toLowerCase();
  const id = who.id?.toLowerCase();
  return record.approvers.find((approver) => approver.address === address || (id !== undefined && approver.id === id));
}

function isRequester(record: ApprovalRecord, who: DecisionRequest["approver"]): boolean {
  const address = who.address.trim().toLowerCase();
  return address === record.requester.email.trim().toLowerCase() || (who.id !== undefined && who.id.toLowerCase() === record.requester.id);
}

/** Decides an approval; throws APPROVAL_NOT_FOUND, _EXPIRED, _CLOSED, _SELF or _NOT_APPROVER without changing anything. */
export async function decideApproval(deps: PipelineDeps, request: DecisionRequest, events: EventSink): Promise<ApprovalRecord> {
  const approvals = approvalsOf(deps);
  const record = await approvals.store.get(request.approvalId);
  if (!record) throw new IntentError("APPROVAL_NOT_FOUND", "No approval has this id.", { fix: "Use the link from the approval mail." });
  if (record.state === "pending" && deps.clock.now() >= record.expiresAt) {
    await expireApproval(deps, record, events);
    throw closedError({ ...record, state: "expired" });
  }
  if (record.state !== "pending") {
    // The same approval posted again after its continuation could not be queued: queue it now.
    if (record.state === "approved" && !record.queuedAt && request.decision === "approve" && approverOf(record, request.approver)) {
      return queueApproved(deps, approvals, record, events);
    }
    throw closedError(record);
  }
  if (isRequester(record, request.approver)) {
    throw new IntentError("APPROVAL_SELF", "The requester may not approve or deny their own request.", { fix: "One of the other approvers decides." });
  }
  const approver = approverOf(record, request.approver);
  if (!approver) throw new IntentError("APPROVAL_NOT_APPROVER", "This person is not one of the approval's approvers.", { fix: "One of the approvers named in the approval decides." });
  const comment = cleanComment(request.comment);
  const decision: ApprovalDecision = {
    state: request.decision === "approve" ? "approved" : "denied",
    by: { address: approver.address, name: approver.name },
    at: new Date(deps.clock.now()).toISOString(),
    ...(comment ? { comment } : {}),
    via: request.via,
  };
  const decided = await approvals.store.update(record, { state: decision.state, decision });
  if (!decided) {
    const now = await approvals.store.get(record.approvalId);
    throw closedError(now ?? record);
  }
  events("approval.decided", { runId: record.runId, approvalId: record.approvalId, decision: decision.state, by: approver.address, via: request.via, comment: comment !== undefined });
  if (decided.state === "approved") return queueApproved(deps, approvals, decided, events);
  await endWaitingRun(deps, decided, events);
  return decided;
}
