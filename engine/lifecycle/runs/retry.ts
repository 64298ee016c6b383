/**
 * Retrying a failed or partial run from the console. The run is reopened (running, reserved for
 * its continuation, failed checkpoints dropped) and its kept input queued as a continuation, so
 * it runs exactly as a long run resumes: completed steps restored, failed ones run again, the end
 * reported and recorded as usual. Who asked is recorded first.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { Clock, EventSink } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { KeptRequestStore } from "../store/kept-requests";
import type { ContinuationQueue } from "../continue/types";
import type { ReopenOutcome, RunRecord } from "../store/types";
import type { Actor, ConsoleAudit } from "./audit";

export interface RetryDeps {
  store: {
    get(runId: string): Promise<RunRecord | undefined>;
    reopen(runId: string, reopenable: (status: string) => boolean, input?: RunInput): Promise<ReopenOutcome | undefined>;
  };
  kept: KeptRequestStore;
  queue: ContinuationQueue;
  audit: ConsoleAudit;
  clock: Clock;
}

export type RetryOutcome =
  | { kind: "queued"; record: RunRecord }
  | { kind: "not-found" }
  | { kind: "refused"; error: IntentError };

const RETRYABLE = new Set(["failed", "partial"]);

export function retryable(status: string): boolean {
  return RETRYABLE.has(status);
}

function notRetryable(message: string, fix: string): IntentError {
  return new IntentError("RUN_NOT_RETRYABLE", message, { fix });
}

/** Why this run cannot be retried, or undefined when it can (its request is kept and readable). */
async function refusal(deps: RetryDeps, record: RunRecord): Promise<IntentError | undefined> {
  if (!retryable(record.status)) {
    return notRetryable(`The run is ${record.status}; only a failed or partial run can be retried.`, "Open the run to see its state; a running run finishes on its own.");
  }
  try {
    if (!(await deps.kept.read(record.runId))) {
      return notRetryable("No copy of this run's request is kept, so it cannot be run again from here.", "Send the request again from Thread.");
    }
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    if (error.code === "RUN_NOT_RETRYABLE") return error;
    throw error;
  }
  return undefined;
}

export async function retryRun(deps: RetryDeps, runId: string, actor: Actor, events: EventSink): Promise<RetryOutcome> {
  const record = await deps.store.get(runId);
  if (!record) return { kind: "not-found" };
  const at = new Date(deps.clock.now()).toISOString();
  const audit = (outcome: string) => deps.audit.record({ runId, action: "retry", actorId: actor.id, actorName: actor.name, via: actor.via, at, outcome });
  const refused = await refusal(deps, record);
  if (refused) {
    await audit(`refused: ${refused.code}`);
    return { kind: "refused", error: refused };
  }
  const input = (await deps.kept.read(runId))!;
  const reopened = await deps.store.reopen(runId, retryable, input);
  if (!reopened) return { kind: "not-found" };
  if (reopened.kind === "refused") {
    // Someone (a redelivery, another technician) got there between our read and our write.
    const error = notRetryable(`The run is ${reopened.record.status} now; it was changed while the retry was asked for.`, "Open the run again to see its state.");
    await audit(`refused: ${error.code}`);
    return { kind: "refused", error };
  }
  try {
    await deps.queue.send({ runId, input }, 0);
  } catch (thrown) {
    await reopened.restore();
    await audit(`failed: ${ensureIntentError(thrown).code}`);
    throw thrown;
  }
  await audit("queued");
  events("console.retry", { runId, actorId: actor.id, via: actor.via });
  return { kind: "queued", record: reopened.record };
}
