/**
 * Approvals: a run that requester policy sends for approval stops before its first write with its
 * plan; the people the rule names approve or deny it (a signed link, or the operator console),
 * or it expires. What the approval record keeps, and what a run record shows of it.
 */
import type { RunApproval } from "../../runtime/types";
import type { Plan } from "./plan/types";

/**
 * pending → approved | denied | expired; superseded when the tenant changed after the approval and
 * a new approval replaced it; cancelled when nobody could be asked (no approver mail went out).
 */
export type ApprovalState = RunApproval["state"];

export interface Approver {
  /** Random, per approver and approval: binds a link to its approver. */
  key: string;
  /** Lower-cased mail address the request went to. */
  address: string;
  name: string;
  /** Object id in the tenant, when the approver was read from it. */
  id?: string;
  /** Why they may approve, in words: "manager of adele.vance@contoso.com", "member of Service Desk". */
  reason: string;
}

/** Who decided, when, with what comment, and through what (the mailed link or the console). */
export interface ApprovalDecision {
  state: "approved" | "denied";
  by: { address: string; name: string };
  at: string;
  comment?: string;
  via: "link" | "console";
}

export interface ApprovalRecord {
  approvalId: string;
  runId: string;
  state: ApprovalState;
  intentName: string;
  ticketId: string;
  requester: { name: string; email: string; id?: string };
  /** The intent's target as the webhook gave it. */
  target?: string;
  plan: Plan;
  approvers: Approver[];
  requestedAt: string;
  /** Epoch ms; from then on the approval expires (the sweeper, or whoever reads it first). */
  expiresAt: number;
  decision?: ApprovalDecision;
  /** The approval this one replaced because the tenant changed after it was approved. */
  supersedes?: string;
  /** When the approved run's continuation was queued; unset until it is (the sweeper queues it again). */
  queuedAt?: string;
  /** The run's input, sealed (it may hold secret fields): what the approved run continues from. */
  sealedInput: string;
  etag?: string;
}

/** What a run record and `GET /api/runs/{id}` show of the run's approval. */
export type ApprovalSummary = RunApproval;

export function summaryOf(record: ApprovalRecord): ApprovalSummary {
  const decision = record.decision;
  return {
    id: record.approvalId,
    state: record.state,
    approvers: record.approvers.map(({ name, address, reason }) => ({ name, address, reason })),
    requestedAt: record.requestedAt,
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(decision ? { decidedBy: decision.by, decidedAt: decision.at, via: decision.via, ...(decision.comment ? { comment: decision.comment } : {}) } : {}),
    ...(record.supersedes ? { supersedes: record.supersedes } : {}),
  };
}
