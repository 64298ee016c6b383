/**
 * The console's approvals inbox (its ApprovalsPort) over the approval lifecycle: what waits, a
 * run's approval for its detail view, and the decision, taken by the same function as the mailed
 * link's page. The signed-in technician must be one of the approval's approvers (by Entra object
 * id or sign-in name) and not its requester.
 */
import { ambientEvents } from "../../core/current-events";
import { ensureIntentError } from "../../core/errors";
import type { ApprovalsPort } from "../../inbound/console/ports";
import { decideApproval } from "../../lifecycle/approval/decide";
import { listPendingApprovals } from "../../lifecycle/approval/list";
import type { PipelineDeps } from "../../lifecycle/types";

export function approvalsPort(deps: PipelineDeps): ApprovalsPort {
  return {
    async pending() {
      return (await listPendingApprovals(deps)).map((item) => ({
        approvalId: item.approvalId, runId: item.runId, intentName: item.intentName, ticketId: item.ticketId,
        requester: item.requester.name ? `${item.requester.name} (${item.requester.email})` : item.requester.email,
        target: item.target ?? "", requestedAt: item.requestedAt, expiresAt: item.expiresAt,
        approvers: item.approvers.map((approver) => `${approver.name} (${approver.reason})`), changes: item.changes,
      }));
    },
    async stateOf(runId) {
      const approval = (await deps.store.get(runId))?.result?.approval;
      return approval ? { ...approval } : undefined;
    },
    async decide(approvalId, decision, actor, comment) {
      try {
        const decided = await decideApproval(deps, { approvalId, decision, approver: { address: actor.name, ...(actor.via === "entra" ? { id: actor.id } : {}) }, comment, via: "console" }, ambientEvents);
        return {
          ok: true, status: decided.state,
          message: decided.state === "denied" ? "Denied: the run ends without a change and the requester is told." : "Approved: the run continues, after its plan is checked against the tenant again.",
        };
      } catch (thrown) {
        return { ok: false, error: ensureIntentError(thrown) };
      }
    },
  };
}
