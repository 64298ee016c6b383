/**
 * Approvals: what requester policy's `approve` leads to. Entry points for other parts: request
 * (the runner), decide (the approval page, the operator console), list (the console's inbox),
 * expire and sweep (the timer, and whoever meets an overdue approval), apply (the continuation).
 */
export { requestApproval, planRun, waitingMessage, type ApprovalAsk } from "./request";
export { decideApproval, closedError, MAX_COMMENT, type DecisionRequest } from "./decide";
export { listPendingApprovals, type PendingApproval } from "./list";
export { expireApproval, expireIfDue } from "./expire";
export { sweepApprovals, REQUEUE_AFTER_MS, type SweepReport } from "./sweep";
export { applyApproved, type ApprovedRun } from "./apply";
export { resolveApprovers, waitingFor, MAX_APPROVERS, type ApproverRef, type ApproverContext } from "./approvers";
export { ApprovalTokens, type LinkClaims, type LinkCheck } from "./token";
export { TableApprovalStore, APPROVALS_TABLE, type ApprovalStore } from "./store";
export { approvalLink, type ApprovalDeps } from "./deps";
export { approvalsOf } from "./configured";
export { readApprovalSettings, DEFAULT_LIFETIME_HOURS, type ApprovalSettings } from "./settings";
export { planOf, fingerprintOf, type PlanOutcome } from "./plan/make-plan";
export { diffLines } from "./plan/diff-text";
export type { Plan, PlanChange, PlanField } from "./plan/types";
export * from "./types";
