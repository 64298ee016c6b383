/**
 * A watch over a run that a delivery found `running` in another instance's hands. Should that
 * instance stop without recording an end or queueing a continuation (storage failed under it and
 * its queue too, so its caller was told 503; or it crashed), nothing else would ever finish the
 * run. The watch is a continuation message that appears when the holder's lease runs out: it takes
 * the run over only if the lease did run out with the run neither finished nor waiting for a
 * continuation of its own; while the holder still renews, it looks again at the lease's new end.
 */
import { ensureIntentError } from "../../core/errors";
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

/**
 * Queues a watch for when the run's lease runs out, unless one is pending already (at most one per
 * run: store/watch-marks.ts); throws STORE_ERROR when it cannot be queued. `rearm`: the pending
 * watch itself, whose holder still renews, looks again at the lease's new end.
 */
export async function watchRun(deps: PipelineDeps, input: RunInput, record: RunRecord, events: EventSink, rearm = false): Promise<void> {
  const { runId } = record;
  const now = deps.clock.now();
  const delayMs = Math.max(0, record.leaseUntil - now) + WATCH_MARGIN_MS;
  if (!(await deps.store.markWatch(runId, now + delayMs, rearm))) {
    events("watch_pending", { runId });
    return;
  }
  try {
    await deps.queue.send({ runId, input, watch: true }, delayMs);
  } catch (thrown) {
    // Not queued: a later duplicate may queue it. (A re-arming watch keeps its marker: its own message comes back.)
    if (!rearm) await deps.store.clearWatch(runId).catch(() => undefined);
    throw thrown;
  }
  events("watch_queued", { runId, delayMs });
}

/** The watch is done (it took the run, or there is nothing left to watch): a later duplicate may queue another. */
export async function watchDone(deps: PipelineDeps, runId: string, events: EventSink): Promise<void> {
  try {
    await deps.store.clearWatch(runId);
  } catch (thrown) {
    // A marker left behind only delays the next watch until it is overdue (WATCH_STALE_MS).
    events("watch_clear_failed", { runId, code: ensureIntentError(thrown).code });
  }
}
