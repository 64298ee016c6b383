/**
 * The approvals timer: pending approvals past their time expire (their runs end `expired`), and
 * approved ones whose continuation was never queued are queued now. One failure does not stop the
 * sweep; it is an event, and the next sweep tries again.
 */
import { ensureIntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { approvalsOf } from "./configured";
import { expireApproval } from "./expire";
import { queueApproved } from "./queue-approved";

/** An approval decided this long ago without a queued continuation lost it: queue it again. */
export const REQUEUE_AFTER_MS = 60_000;

export interface SweepReport {
  expired: number;
  requeued: number;
  failed: number;
}

export async function sweepApprovals(deps: PipelineDeps, events: EventSink): Promise<SweepReport> {
  const approvals = approvalsOf(deps);
  const now = deps.clock.now();
  const swept: SweepReport = { expired: 0, requeued: 0, failed: 0 };
  const attempt = async (approvalId: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (thrown) {
      swept.failed++;
      events("approval.sweep_failed", { approvalId, code: ensureIntentError(thrown).code });
    }
  };
  for (const record of await approvals.store.list("pending")) {
    if (record.expiresAt > now) continue;
    await attempt(record.approvalId, async () => {
      if (await expireApproval(deps, record, events)) swept.expired++;
    });
  }
  for (const record of await approvals.store.list("approved")) {
    if (record.queuedAt || now - Date.parse(record.decision?.at ?? record.requestedAt) < REQUEUE_AFTER_MS) continue;
    await attempt(record.approvalId, async () => {
      const run = await deps.store.get(record.runId);
      if (run?.status === "awaiting_approval") {
        await queueApproved(deps, approvals, record, events);
        swept.requeued++;
      } else {
        // The run went on (its message arrived after all): only the note is missing.
        await approvals.store.update(record, { queuedAt: new Date(now).toISOString() });
      }
    });
  }
  if (swept.expired + swept.requeued + swept.failed > 0) events("approvals_swept", { ...swept });
  return swept;
}
