/**
 * The outbox sweeper (a timer): a row whose queue message was lost (a crash between writing the
 * row and queueing it, a message moved to poison while storage was down, a worker that stopped
 * mid-send) is queued again once it is overdue. Settled rows leave the index.
 */
import type { Clock, EventSink } from "../../runtime/types";
import type { OutboxQueue } from "./outbox-queue";
import type { OutboxStore } from "./outbox-store";

/** How overdue a row must be before the sweeper doubts its message (queue polling takes a while). */
export const SWEEP_GRACE_MS = 10 * 60_000;
/** An index entry whose row never appeared (the reporter stopped between the two writes). */
const ORPHAN_AFTER_MS = 60 * 60_000;

export interface SweepDeps {
  store: OutboxStore;
  queue: OutboxQueue;
  clock: Clock;
}

export async function sweepOutbox(deps: SweepDeps, events: EventSink): Promise<{ requeued: number; dropped: number }> {
  const now = deps.clock.now();
  let requeued = 0;
  let dropped = 0;
  for (const entry of await deps.store.pending()) {
    if (entry.dueAt + SWEEP_GRACE_MS > now) continue;
    const row = await deps.store.read(entry.runId, entry.rowKey);
    const settled = row?.status === "delivered" || row?.status === "failed";
    if (settled || (!row && entry.createdAt + ORPHAN_AFTER_MS <= now)) {
      await deps.store.dropIndex(entry.runId, entry.rowKey);
      dropped++;
      continue;
    }
    if (!row || (row.status === "sending" && row.leaseUntil > now)) continue;
    await deps.queue.send({ runId: entry.runId, rowKey: entry.rowKey }, 0);
    await deps.store.touchIndex(entry.runId, entry.rowKey, now, now);
    requeued++;
  }
  if (requeued + dropped > 0) events("report_swept", { requeued, dropped });
  return { requeued, dropped };
}
