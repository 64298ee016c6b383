/**
 * Executes a claimed run under its lease: requester policy first (a refusal is recorded as
 * `denied`, with no step run and no failure mail; an `approve` stops the run before its first
 * write, awaiting approval, and an approved run's plan is checked again before it writes),
 * heartbeat while the engine works, record the result, hold a run that waits for its time
 * (schedule/), queue the continuation of a run that outlived its budget, report the state it
 * reached (before recording it, so a retry after a failed write reports again) and mail a failure.
 * A run that can no longer be sure it holds its lease (another instance took it, or renewals
 * failed until it may have lapsed), or cannot record its progress, stops quietly: no result, no mail. Whoever holds the run next goes on from its
 * checkpoints and finishes it.
 */
import { tappedEvents } from "../../core/current-events";
import { ensureIntentError, type IntentError } from "../../core/errors";
import type { EventSink, RunJournal, RunResult } from "../../runtime/types";
import type { Lease } from "../store/types";
import { FAILED_MESSAGE } from "../../runtime/run-result";
import { forgetKept, keepForRetry, noteThrottling } from "../runs/operator-records";
import { countThrottling } from "../runs/throttling-log";
import type { EngineIntent, PipelineDeps } from "../types";
import { judgeRun } from "./judge";
import type { RunInput } from "./run-input";
import { holdRun } from "../schedule/hold";
import { applyApproved } from "../approval/apply";
import { askForApproval } from "../approval/ask";
import { awaitingDetail } from "../approval/wording";

export interface ClaimedRun {
  intent: EngineIntent;
  input: RunInput;
  lease: Lease;
  budgetMs: number;
  /** True when the run answered 202 before (a continuation): its end reaches the requester by mail. */
  accepted: boolean;
  /**
   * Judge by requester policy first, unless the input says policy already cleared the run
   * (RunInput.cleared): a webhook's run and a continuation. A change notification's run is not judged.
   */
  judge?: boolean;
  /** The approval that let a waiting run go on: its plan is checked again before it writes. */
  approvalId?: string;
}

/** What came of a claimed run: its result was recorded, or it stopped without recording one. */
export type RunOutcome = { kind: "done"; result: RunResult } | Stopped;
export interface Stopped {
  kind: "stopped";
  reason: "lease_lost" | "store_unavailable";
  /** What a continuation of the run carries (cleared once policy let it go ahead). */
  input: RunInput;
}

/** The input with policy's clearance: its continuations are not judged again. */
function clearedInput(input: RunInput): RunInput {
  return input.cleared ? input : { ...input, cleared: true };
}

function crashed(thrown: unknown): RunResult {
  const error = ensureIntentError(thrown);
  return {
    status: "failed",
    message: FAILED_MESSAGE,
    steps: [],
    error: error.code === "INTERNAL" ? { code: "INTERNAL", message: "An unexpected error occurred." } : error.toJSON(),
  };
}

/** The approval a claimed run was let go on, when its record says an approver approved it. */
function approvedBefore(lease: Lease): string | undefined {
  const approval = lease.record.result?.approval;
  return approval?.state === "approved" ? approval.id : undefined;
}

/**
 * The journal of a run its claim just made: no step of it can be recorded yet, so the run starts
 * without reading its checkpoints (a storage round trip before the first step of every new run).
 */
function unreadJournal(journal: RunJournal): RunJournal {
  return { load: async () => ({}), save: (stepId, checkpoint) => journal.save(stepId, checkpoint) };
}

/** True when the store failed: the run's progress could not be recorded, which is no failure of the run. */
function storeFailed(error: IntentError): boolean {
  return error.code === "STORE_ERROR";
}

export async function runClaimed(deps: PipelineDeps, claimed: ClaimedRun, events: EventSink): Promise<RunOutcome> {
  try {
    return await runHeld(deps, claimed, events);
  } finally {
    // However the run came out (a stop before any step included), its caller answers once the claim is indexed.
    await claimed.lease.indexed;
  }
}

async function runHeld(deps: PipelineDeps, claimed: ClaimedRun, events: EventSink): Promise<RunOutcome> {
  const { lease, input } = claimed;
  const { run } = input;
  const stop = new AbortController();
  // Stop before the lease can lapse: past it, another instance may already be running the same steps.
  const checkLease = (): void => {
    if (lease.lost || deps.clock.now() + deps.settings.heartbeatMs >= lease.heldUntil) stop.abort();
  };
  const heartbeat = setInterval(() => {
    lease.renew()
      .catch((error: unknown) => events("lease_renew_failed", { runId: run.runId, code: ensureIntentError(error).code }))
      .finally(checkLease);
  }, deps.settings.heartbeatMs);
  heartbeat.unref();
  let result: RunResult | undefined;
  let stopped: Stopped["reason"] | undefined;
  const throttled = { responses: 0 };
  const deadline = deps.clock.now() + claimed.budgetMs;
  // The decision's own continuation names its approval; a run approved earlier that waited for its
  // time (or stopped before its first write) carries it in its record, and checks its plan again too.
  const approvalId = claimed.approvalId ?? approvedBefore(lease);
  const judging = claimed.judge === true && input.cleared !== true;
  let carried = judging ? input : clearedInput(input);
  try {
    // The Graph client reports to the invocation's sink; the tap counts its throttled answers for this run.
    result = await tappedEvents(countThrottling(throttled), async () => {
      // An approved run was judged before it waited; its plan is checked again instead (approval/apply.ts).
      if (approvalId) {
        carried = clearedInput(input);
        await lease.indexed;
        return applyApproved(deps, { ...claimed, approvalId }, events, { deadline, attempt: lease.record.attempts, signal: stop.signal });
      }
      // Policy only reads, so it goes on while the claim is indexed; nothing is asked or changed before the run can be found.
      const judged = judging ? await judgeRun(deps, claimed.intent, input, events, { startBy: deadline, signal: stop.signal }) : undefined;
      if (judged?.refused) return judged.refused;
      await lease.indexed;
      if (judged?.approve && deps.approvals) return askForApproval(deps, deps.approvals, claimed.intent, input, judged.approve, events);
      if (judged) carried = clearedInput(input);
      return deps.engine.execute(claimed.intent, {
        fields: input.fields,
        run,
        // Not `{ ...deps.services, events }`: V8 adds a key after a spread on a slow path, ~1 µs a run.
        services: Object.assign({}, deps.services, { events }),
        journal: lease.fresh ? unreadJournal(deps.store.journal(run.runId)) : deps.store.journal(run.runId),
        deadline,
        attempt: lease.record.attempts,
        signal: stop.signal,
        ...(judged?.prefetched ? { prefetched: judged.prefetched } : {}),
      });
    });
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    if (storeFailed(error)) stopped = "store_unavailable";
    else result = crashed(thrown);
  } finally {
    clearInterval(heartbeat);
  }
  if (stop.signal.aborted || lease.lost) stopped = "lease_lost";
  if (stopped || !result) return quietStop(stopped ?? "store_unavailable", carried, events);
  // A run keeps its approval through the continuations of a long run.
  const approval = result.approval ?? lease.record.result?.approval;
  if (approval && !result.approval) result = { ...result, approval };
  try {
    if (result.status === "scheduled") {
      await holdRun(deps, { ...claimed, input: carried }, result, events);
    } else if (result.status === "running") {
      await lease.suspend(result);
      if (!lease.lost) await deps.queue.send({ runId: run.runId, input: carried }, result.resumeAfterMs ?? 0);
    } else {
      // A cancellation is decided outside the engine (schedule/cancel.ts); an engine never ends there.
      if (result.status !== "cancelled") await deps.reporter.report({
        state: result.status, run, message: result.message, steps: result.steps, ...(result.error ? { error: result.error } : {}),
        secretValues: input.secretValues, accepted: claimed.accepted, ...(result.status === "awaiting_approval" ? { detail: awaitingDetail(result) } : {}),
      }, events);
      if (result.status === "failed" || result.status === "partial") await keepForRetry(deps.operator, run.runId, carried, events);
      await lease.finish(result);
      if (result.status === "succeeded" && lease.record.attempts > 1) await forgetKept(deps.operator, run.runId, events);
    }
  } catch (thrown) {
    if (!storeFailed(ensureIntentError(thrown))) throw thrown;
    return quietStop("store_unavailable", carried, events);
  }
  if (lease.lost) return quietStop("lease_lost", carried, events);
  await noteThrottling(deps.operator, run, throttled.responses, deps.clock.now(), events);
  events("result", {
    runId: run.runId,
    intentName: run.intentName,
    ticketId: run.ticketId,
    status: result.status,
    attempts: lease.record.attempts,
    steps: result.steps.map((step) => ({ id: step.id, status: step.status })),
    ...(result.error ? { errorCode: result.error.code } : {}),
  });
  if (result.status === "failed" || result.status === "partial") {
    await deps.notifier.notify({ run, result, secretValues: input.secretValues }, events);
  }
  return { kind: "done", result };
}

function quietStop(reason: Stopped["reason"], input: RunInput, events: EventSink): RunOutcome {
  const { runId } = input.run;
  if (reason === "lease_lost") events("lease_lost", { runId, reason });
  else events("run_stopped", { runId, reason });
  return { kind: "stopped", reason, input };
}
