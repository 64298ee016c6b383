/**
 * Approvals still open, for the operator console's inbox: each with its run, who asked for what,
 * who may decide, until when, and the plan as the lines the approver's page shows. An approval
 * past its time is not listed (the sweeper, or whoever opens it first, expires it).
 */
import type { PipelineDeps } from "../types";
import { approvalsOf } from "./configured";
import { diffLines } from "./plan/diff-text";
import type { ApprovalRecord } from "./types";

export interface PendingApproval {
  approvalId: string;
  runId: string;
  intentName: string;
  ticketId: string;
  requester: ApprovalRecord["requester"];
  target?: string;
  approvers: Array<{ name: string; address: string; reason: string }>;
  requestedAt: string;
  expiresAt: string;
  /** The plan as lines, the same as the approver's page and `intents plan` show. */
  changes: string[];
  /** Set when the tenant changed after an earlier approval of the same run. */
  supersedes?: string;
}

export async function listPendingApprovals(deps: PipelineDeps): Promise<PendingApproval[]> {
  const now = deps.clock.now();
  const records = await approvalsOf(deps).store.list("pending");
  return records.filter((record) => record.expiresAt > now).map((record) => ({
    approvalId: record.approvalId,
    runId: record.runId,
    intentName: record.intentName,
    ticketId: record.ticketId,
    requester: record.requester,
    ...(record.target ? { target: record.target } : {}),
    approvers: record.approvers.map(({ name, address, reason }) => ({ name, address, reason })),
    requestedAt: record.requestedAt,
    expiresAt: new Date(record.expiresAt).toISOString(),
    changes: diffLines(record.plan),
    ...(record.supersedes ? { supersedes: record.supersedes } : {}),
  }));
}
