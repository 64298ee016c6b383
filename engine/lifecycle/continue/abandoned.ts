/**
 * The abandoned-run sweep, run by a timer. A run whose instance stopped without a trace (killed,
 * crashed, or storage and queue failed under it) while no continuation of it was queued stays
 * `running` until a redelivery of its webhook takes it over; if none comes, the tenant keeps a
 * half-made change. The sweep lists the runs the run index holds as running (created long enough
 * ago), reads each run row, and takes those whose lease ended more than ABANDONED_RUN_GRACE_MS
 * ago: by then any continuation or watch queued for them is overdue, and a live holder would have
 * renewed. Each is taken with an ETag-conditional resume (of two instances sweeping at once, one
 * takes it; the other finds it held) and runs on from its journal with the input kept sealed on
 * its row since its claim, exactly as a continuation does. A run claimed before inputs were kept
 * (or whose request was too large to keep) cannot be resumed without guessing: it ends as failed
 * (RUN_ABANDONED), its completed steps on record, reported and mailed; so does a run whose
 * instance stopped under it every time it ran, once it has been taken over more than
 * ABANDONED_RUN_MAX_TAKEOVERS times (else every sweep would take it, and lose its instance, again).
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { PipelineDeps } from "../types";
import { continueClaimed, endAsFailed, recordedRun, stepsSoFar, stoppedTooOften } from "./continuation";

/** Runs one sweep resumes at once, and at most: each may take a continuation's budget, and a timer's invocation is bounded. */
export const SWEEP_RESUMES = 4;
/** Run rows one sweep reads looking for abandoned runs; the next sweep goes on from the newest again. */
export const SWEEP_READS = 500;

export interface AbandonedSweepReport {
  /** Run rows read. */
  examined: number;
  /** Runs taken and run on from their journal (to their end, or suspended for their continuation). */
  resumed: number;
  /** Runs taken and ended as failed: no input was kept to go on from. */
  ended: number;
  /** Runs someone else took first (another sweep, a redelivery, their own holder renewing). */
  busy: number;
  /** Runs whose resume failed or stopped; the next sweep tries again. */
  failed: number;
}

type Recovered = "resumed" | "ended" | "busy";

export async function sweepAbandonedRuns(deps: PipelineDeps, events: EventSink): Promise<AbandonedSweepReport> {
  const report: AbandonedSweepReport = { examined: 0, resumed: 0, ended: 0, busy: 0, failed: 0 };
  if (!deps.runningRuns) return report;
  const leaseEndedBy = deps.clock.now() - deps.settings.abandonedGraceMs;
  // A claim holds its lease for RUN_LEASE_MS at least: a run created later cannot have been abandoned that long.
  const createdBy = leaseEndedBy - deps.settings.leaseMs;
  const abandoned: string[] = [];
  let after: string | undefined;
  do {
    const page = await deps.runningRuns.page(createdBy, after);
    for (const runId of page.runIds) {
      if (abandoned.length >= SWEEP_RESUMES || report.examined >= SWEEP_READS) break;
      report.examined++;
      const record = await deps.store.get(runId);
      if (record?.status === "running" && record.leaseUntil <= leaseEndedBy) abandoned.push(runId);
    }
    after = page.next;
  } while (after !== undefined && abandoned.length < SWEEP_RESUMES && report.examined < SWEEP_READS);
  const outcomes = await Promise.all(abandoned.map(async (runId): Promise<Recovered | "failed"> => {
    try {
      return await recover(deps, runId, leaseEndedBy, events);
    } catch (thrown) {
      events("abandoned_run_failed", { runId, code: ensureIntentError(thrown).code });
      return "failed";
    }
  }));
  for (const outcome of outcomes) report[outcome]++;
  if (abandoned.length > 0) events("abandoned_runs_swept", { ...report });
  return report;
}

/** Takes the run if it is still abandoned, and runs it on (or ends it when it cannot). */
async function recover(deps: PipelineDeps, runId: string, leaseEndedBy: number, events: EventSink): Promise<Recovered> {
  const resumed = await deps.store.resume(runId, ["running"], { leaseEndedBy });
  if (resumed?.kind !== "claimed") return "busy";
  const { lease } = resumed;
  events("abandoned_run_taken", { runId, attempts: lease.record.attempts, createdAt: lease.record.createdAt });
  let input: RunInput | undefined;
  let problem: IntentError | undefined;
  try {
    input = await deps.store.keptInput(runId);
  } catch (thrown) {
    problem = ensureIntentError(thrown);
  }
  // A run that stopped its instance every time it ran is ended, not run once more (continueClaimed says why).
  if (stoppedTooOften(deps, lease)) {
    await continueClaimed(deps, lease, { input, dequeueCount: 1 }, events);
    return "ended";
  }
  if (!input) {
    await endAsFailed(deps, lease, recordedRun(lease), problem ?? noKeptInput(), events, [], await stepsSoFar(deps, lease));
    return "ended";
  }
  // Throws (retryable) when the run stopped again without an end: it stays abandoned for the next sweep.
  await continueClaimed(deps, lease, { input, dequeueCount: 1 }, events);
  return "resumed";
}

function noKeptInput(): IntentError {
  return new IntentError("RUN_ABANDONED", "The run stopped when the instance running it did, and no copy of its request was kept to go on from (it began before runs kept one, or its request was too large to keep).", {
    fix: "Check which steps completed (listed with the run), then send the request again from Thread: completed steps are not repeated.",
  });
}
