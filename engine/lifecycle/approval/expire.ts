/**
 * Expiry needs no process waiting for it: whoever meets a pending approval past its time (the
 * sweeper's timer, the approval page, the console, `GET /api/runs/{id}`) expires it, and the one
 * conditional write that wins ends the run `expired` without a write.
 */
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { approvalsOf } from "./configured";
import { endWaitingRun } from "./end-run";
import type { ApprovalRecord } from "./types";

/** True when this call expired it (false: it was not pending, not due, or another caller won). */
export async function expireApproval(deps: PipelineDeps, record: ApprovalRecord, events: EventSink): Promise<boolean> {
  if (record.state !== "pending" || deps.clock.now() < record.expiresAt) return false;
  const expired = await approvalsOf(deps).store.update(record, { state: "expired" });
  if (!expired) return false;
  events("approval.expired", { runId: record.runId, approvalId: record.approvalId, expiresAt: new Date(record.expiresAt).toISOString(), approvers: record.approvers.length });
  await endWaitingRun(deps, expired, events);
  return true;
}

/** Expires the run's approval if it is overdue; for readers of a run record that says it waits. */
export async function expireIfDue(deps: PipelineDeps, approvalId: string, events: EventSink): Promise<boolean> {
  if (!deps.approvals) return false;
  const record = await deps.approvals.store.get(approvalId);
  return record ? expireApproval(deps, record, events) : false;
}
