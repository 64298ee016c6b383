/**
 * The queue handler's work: resume a run that outlived its HTTP budget, from its journal and the
 * mapped input its message carries. A message delivered more often than the limit is poison: its
 * run ends as failed, with a mail. A watch (./watch.ts) takes only a run its holder abandoned.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import { FAILED_MESSAGE } from "../../runtime/run-result";
import type { EventSink, RunContext, RunResult } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import { runClaimed } from "../execute/runner";
import { keepForRetry } from "../runs/operator-records";
import type { Lease } from "../store/types";
import type { PipelineDeps } from "../types";
import { CONTINUATION_VERSION, type ContinuationWire } from "./continuation-queue";
import { unseal } from "./sealing";
import { needsWatch, watchDone, watchRun } from "./watch";

/** The run id, and the run's input unless it cannot be opened (then the run ends as failed). */
export interface OpenedContinuation {
  runId: string;
  input?: RunInput;
  problem?: IntentError;
  /** A watch over an abandoned run rather than the run's own continuation. */
  watch?: boolean;
  /** The approval that let a waiting run go on. */
  approvalId?: string;
}

export function openContinuation(message: unknown, sharedSecret: string): OpenedContinuation {
  let wire: Partial<ContinuationWire> | undefined;
  try {
    // The Functions host hands over the decoded JSON; the local poller passes the decoded text.
    wire = (typeof message === "string" ? JSON.parse(message) : message) as Partial<ContinuationWire>;
  } catch {
    wire = undefined;
  }
  if (typeof wire?.runId !== "string" || typeof wire.sealed !== "string") {
    throw new IntentError("INTERNAL", "A continuation message has no runId or sealed payload.");
  }
  if (wire.v !== CONTINUATION_VERSION) {
    // Sealed by a version that queued the raw webhook: resuming would mean mapping it again.
    return {
      runId: wire.runId,
      problem: new IntentError("RUN_ABANDONED", "The continuation was queued by an earlier version of the engine.", {
        fix: "Send the request again from Thread; its completed steps are not repeated.",
      }),
    };
  }
  const watch = wire.watch === true ? { watch: true } : {};
  const approval = typeof wire.approvalId === "string" && /^[0-9a-f]{32}$/.test(wire.approvalId) ? { approvalId: wire.approvalId } : {};
  try {
    return { runId: wire.runId, input: unseal(wire.sealed, sharedSecret) as RunInput, ...watch, ...approval };
  } catch (thrown) {
    return { runId: wire.runId, problem: ensureIntentError(thrown), ...watch, ...approval };
  }
}

/** Ends a claimed run as failed without running it: reported, recorded, logged and mailed. */
export async function endAsFailed(
  deps: PipelineDeps, lease: Lease, run: RunContext, error: IntentError, events: EventSink, secretValues: readonly string[] = [],
  steps: RunResult["steps"] = lease.record.result?.steps ?? [],
): Promise<void> {
  const result: RunResult = {
    status: "failed",
    message: FAILED_MESSAGE,
    steps,
    error: error.toJSON(),
  };
  await deps.reporter.report({ state: "failed", run, message: result.message, steps: result.steps, error: error.toJSON(), secretValues, accepted: true }, events);
  await lease.finish(result);
  events("result", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId, status: "failed", errorCode: error.code });
  await deps.notifier.notify({ run, result, secretValues }, events);
}

/**
 * What the run did so far, for a record that ends it without running it: the steps its record
 * lists, each as its checkpoint last saw it, and the steps completed since the record was written
 * (an instance that stopped mid-run checkpointed them but recorded nothing more), in the intent's
 * order where the intent is still known.
 */
export async function stepsSoFar(deps: PipelineDeps, lease: Lease): Promise<RunResult["steps"]> {
  const recorded = lease.record.result?.steps ?? [];
  const checkpoints = await deps.store.journal(lease.record.runId).load();
  const listed = new Set(recorded.map((step) => step.id));
  const steps = [
    ...recorded.map((step) => checkpoints[step.id]?.result ?? step),
    ...Object.values(checkpoints).map((checkpoint) => checkpoint.result).filter((step) => !listed.has(step.id)),
  ];
  const plan = deps.engine.find(lease.record.intentName)?.plan;
  if (!plan) return steps;
  const order = [...plan.snapshot, ...plan.steps].map((step) => step.id);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return steps.map((step, at) => ({ step, at })).sort((a, b) => rank(a.step.id) - rank(b.step.id) || a.at - b.at).map(({ step }) => step);
}

/** True when the instance running the run stopped under it more often than a run is taken over (ABANDONED_RUN_MAX_TAKEOVERS). */
export function stoppedTooOften(deps: PipelineDeps, lease: Lease): boolean {
  return (lease.record.takeovers ?? 0) > deps.settings.abandonedMaxTakeovers;
}

/**
 * Ends a run whose instance stopped under it every time it ran (killed for its memory, timed out,
 * crashed) instead of running it once more: failed, with the steps it completed, reported and
 * mailed; its input kept so an operator can retry it once the cause is fixed.
 */
export async function endStoppedTooOften(deps: PipelineDeps, lease: Lease, input: RunInput | undefined, events: EventSink): Promise<void> {
  const { runId, takeovers = 0 } = lease.record;
  events("run_stopped_too_often", { runId, takeovers, limit: deps.settings.abandonedMaxTakeovers });
  const error = new IntentError("RUN_ABANDONED", `The instance running this run stopped before it ended ${takeovers === 1 ? "once" : `${takeovers} times`} (killed, crashed, or cut off from storage); it is not run again.`, {
    fix: "Look in Application Insights for what stopped the host while it ran this run (memory, time, a crash) and fix it; then retry the run from the operator console or send the request again from Thread: completed steps are not repeated.",
  });
  if (input) await keepForRetry(deps.operator, runId, input, events);
  await endAsFailed(deps, lease, input?.run ?? recordedRun(lease), error, events, input?.secretValues ?? [], await stepsSoFar(deps, lease));
}

/** Throws a retryable IntentError when another instance holds the run, so the message comes back later. */
export async function handleContinuation(deps: PipelineDeps, raw: unknown, dequeueCount: number, events: EventSink): Promise<void> {
  const { runId, input, problem, watch, approvalId } = openContinuation(raw, await deps.settings.sharedSecret());
  const resumed = await deps.store.resume(runId, approvalId ? ["awaiting_approval", "running"] : undefined, watch ? "watch" : "continuation");
  if (!resumed || resumed.kind === "done") {
    if (watch) await watchDone(deps, runId, events);
    events("continuation_skipped", { runId, reason: resumed ? "finished" : "unknown run" });
    return;
  }
  if (resumed.kind === "busy" && watch) {
    // Its holder still renews the lease (look again when it runs out), or the run needs no watch now.
    if (input && needsWatch(resumed.record)) return watchRun(deps, input, resumed.record, events, true);
    await watchDone(deps, runId, events);
    events("continuation_skipped", { runId, reason: "watched run in hand" });
    return;
  }
  if (resumed.kind === "busy") {
    throw new IntentError("RUN_IN_PROGRESS", "Another instance is working on this run.", { retryable: true });
  }
  // The watch took the abandoned run: a later duplicate, while this instance holds it, may watch again.
  if (watch) await watchDone(deps, runId, events);
  return continueClaimed(deps, resumed.lease, { input, problem, approvalId, dequeueCount }, events);
}

/** What a claimed run goes on from: its input (or why there is none), and how often its message came. */
export interface ClaimedContinuation {
  input?: RunInput;
  problem?: IntentError;
  approvalId?: string;
  /** Deliveries of the message (1 for a run resumed by the abandoned-run sweep). */
  dequeueCount: number;
}

/** The run as its record names it, when who asked is not at hand (sealed with the input that could not be opened). */
export function recordedRun(lease: Lease): RunContext {
  const { runId, intentName, ticketId } = lease.record;
  return { runId, ticketId, intentName, contactName: "", contactEmail: "", companyName: "" };
}

/**
 * Runs a claimed run on from its journal and input (a continuation, or the abandoned-run sweep);
 * ends it as failed when its instance stopped under it too often, there is no input, the message
 * is poison, or its intent is gone. Throws a
 * retryable IntentError when the run stopped without recording an end.
 */
export async function continueClaimed(deps: PipelineDeps, lease: Lease, claimed: ClaimedContinuation, events: EventSink): Promise<void> {
  const { input, problem, approvalId, dequeueCount } = claimed;
  const { runId } = lease.record;
  if (stoppedTooOften(deps, lease)) return endStoppedTooOften(deps, lease, input, events);
  if (!input) {
    // Who asked is sealed with the rest: the mail can only name the run.
    return endAsFailed(deps, lease, recordedRun(lease), problem ?? new IntentError("INTERNAL", "The continuation has no input."), events);
  }
  const { run, secretValues } = input;
  if (dequeueCount > deps.settings.maxDequeueCount) {
    events("poison", { runId, dequeueCount });
    const error = new IntentError("RUN_ABANDONED", `The run could not be continued after ${dequeueCount - 1} attempts.`, {
      fix: "Check the run's steps in the operator console (or Application Insights), then retry it there or send the request again from Thread.",
    });
    // Its input is still at hand: kept, the run can be retried from the console once the cause is fixed.
    await keepForRetry(deps.operator, runId, input, events);
    return endAsFailed(deps, lease, run, error, events, secretValues);
  }
  const intent = deps.engine.find(input.intentName);
  if (!intent) {
    // The catalogue changed between the webhook and its continuation (a deployment).
    return endAsFailed(deps, lease, run, new IntentError("INTENT_UNKNOWN", "The intent no longer exists."), events, secretValues);
  }
  events("resumed", { runId, attempts: lease.record.attempts, dequeueCount });
  // Judged here unless policy cleared the run already (RunInput.cleared): its judgement was deferred, or its refusal not recorded.
  const outcome = await runClaimed(deps, { intent, input, lease, budgetMs: deps.settings.continuationBudgetMs, accepted: true, judge: true, ...(approvalId ? { approvalId } : {}) }, events);
  // Stopped without an end recorded: the message stays on the queue for whoever can finish the run.
  if (outcome.kind === "stopped") {
    throw new IntentError(outcome.reason === "lease_lost" ? "RUN_IN_PROGRESS" : "STORE_ERROR", "The continuation stopped before the run ended; it will be delivered again.", { retryable: true });
  }
}
