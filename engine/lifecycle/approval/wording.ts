/** The technician's sentence for a run waiting for its approval: who is asked, until when. */
import type { RunResult } from "../../runtime/types";

export function awaitingDetail(result: Pick<RunResult, "approval">): string {
  const approval = result.approval;
  if (!approval) return "Waiting for an approval.";
  const who = approval.approvers.map((approver) => `${approver.name} (${approver.address}, ${approver.reason})`).join("; ");
  return `Approval ${approval.id} asked of ${who}; it expires ${approval.expiresAt}.${approval.supersedes ? ` It replaces approval ${approval.supersedes}: the tenant changed after that one was approved.` : ""}`;
}
