/**
 * A watch over a run that a delivery found `running` in another instance's hands. Should that
 * instance stop without recording an end or queueing a continuation (storage failed under it and
 * its queue too, so its caller was told 503; or it crashed), nothing else would ever finish the
 * run. The watch is a continuation message that appears when the holder's lease runs out: it takes
 * the run over only if the lease did run out with the run neither finished nor waiting for a
 * continuation of its own; while the holder still renews, it looks again at the lease's new end.
 */
import type { EventSink } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { RunRecord } from "../store/types";
import type { PipelineDeps } from "../types";

/** Past the lease's end, so a watch never finds the lease still running by a clock's rounding. */
export const WATCH_MARGIN_MS = 1_000;

/** True when no one but the run's holder would finish it: running, and not waiting for its continuation. */
export function needsWatch(record: RunRecord): boolean {
  return record.status === "running" && !record.suspended;
}

/** Queues a watch for when the run's lease runs out; throws STORE_ERROR when it cannot be queued. */
export async function watchRun(deps: PipelineDeps, input: RunInput, record: RunRecord, events: EventSink): Promise<void> {
  const delayMs = Math.max(0, record.leaseUntil - deps.clock.now()) + WATCH_MARGIN_MS;
  await deps.queue.send({ runId: record.runId, input, watch: true }, delayMs);
  events("watch_queued", { runId: record.runId, delayMs });
}
