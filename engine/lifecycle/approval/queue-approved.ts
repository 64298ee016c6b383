/**
 * An approved run continues from the queue, as a long run does: its message carries the input the
 * approval record sealed and the approval's id, which lets the continuation claim a run waiting in
 * `awaiting_approval`. The record notes when the message went; the sweeper queues it again when it
 * did not (a failure between the decision and the queue).
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import type { ApprovalDeps } from "./deps";
import { endWaitingRun, openInput } from "./end-run";
import type { ApprovalRecord } from "./types";

export async function queueApproved(deps: PipelineDeps, approvals: ApprovalDeps, record: ApprovalRecord, events: EventSink): Promise<ApprovalRecord> {
  const input = await openInput(deps, record);
  if (!input) {
    // Sealed under a shared secret since rotated: the run cannot continue, and says so.
    events("approval.input_unreadable", { runId: record.runId, approvalId: record.approvalId });
    const cancelled = (await approvals.store.update(record, { state: "cancelled" })) ?? record;
    await endWaitingRun(deps, cancelled, events);
    throw new IntentError("RUN_ABANDONED", "The approved run's input could not be opened (the shared secret changed since it was sealed).", {
      fix: "Send the request again from Thread; nothing was changed.",
    });
  }
  await deps.queue.send({ runId: record.runId, input, approvalId: record.approvalId }, 0);
  return (await approvals.store.update(record, { queuedAt: new Date(deps.clock.now()).toISOString() })) ?? record;
}
