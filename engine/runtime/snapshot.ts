/**
 * The snapshot phase: before any other step, the intent's snapshot steps (reads only) run together
 * and their outputs become `snapshot.<id>.<name>`. A live run then records them through the
 * recorder before anything can change, and fails (changing nothing) when it cannot. A resumed run
 * restores them from its journal and never reads them again: by then the run may have changed what
 * they read.
 */
import { ensureIntentError } from "../core/errors";
import type { CompiledIntent, CompiledStep } from "../language/spec/types";
import { restorable } from "./checkpoint";
import { nullOutputs, type RunScope } from "./scope";
import type { StepAttempt } from "./step-runner";
import type { RunJournal, RunMode, SnapshotRecorder, SnapshotValues, StepCheckpoint, StepResult } from "./types";

/** The run's error when its snapshot could not be recorded; an id no step can have. */
export const SNAPSHOT_RECORD_STEP = "snapshot:record";

export interface SnapshotPhaseDeps {
  mode: RunMode;
  checkpoints: Record<string, StepCheckpoint>;
  journal?: RunJournal;
  recorder?: SnapshotRecorder;
  /** Runs one step as the interpreter runs any (events included) and gives its result. */
  runStep(step: CompiledStep): Promise<{ attempt: StepAttempt; result: StepResult }>;
  outputNames(step: CompiledStep): string[];
}

/** `continue`, or why the run stops here: a failed read (or record), or a read still pending. */
export type SnapshotOutcome = { kind: "continue" } | { kind: "stop" } | { kind: "suspend"; step: CompiledStep; result: StepResult; resumeAfterMs: number; state: unknown };

interface Taken {
  step: CompiledStep;
  result: StepResult;
  outputs: Record<string, unknown>;
  attempt?: StepAttempt;
}

async function readOne(step: CompiledStep, deps: SnapshotPhaseDeps): Promise<Taken> {
  const saved = deps.checkpoints[step.id];
  const nulls = nullOutputs(deps.outputNames(step));
  if (saved && restorable(saved)) return { step, result: { ...saved.result, resumed: true }, outputs: { ...nulls, ...saved.outputs } };
  const { attempt, result } = await deps.runStep(step);
  const ran = attempt.status === "changed" || attempt.status === "ok";
  return { step, result, outputs: { ...nulls, ...(ran ? attempt.outputs : {}) }, attempt };
}

export async function takeSnapshot(intent: CompiledIntent, scope: RunScope, steps: StepResult[], deps: SnapshotPhaseDeps): Promise<SnapshotOutcome> {
  const reads = intent.plan.snapshot;
  if (reads.length === 0 && !intent.undo) return { kind: "continue" };
  const taken = await Promise.all(reads.map((step) => readOne(step, deps)));
  const values: SnapshotValues = {};
  const stopping: StepResult[] = [];
  for (const { step, result, outputs, attempt } of taken) {
    if (attempt?.suspend) return { kind: "suspend", step, result, ...attempt.suspend };
    values[step.id] = outputs;
    if (attempt && deps.mode === "live") await deps.journal?.save(step.id, { result, outputs });
    if (result.status === "failed" && !step.continueOnError) stopping.push(result);
    else steps.push(result);
  }
  // A read that stops the run is its last step, as a failing step is anywhere else.
  steps.push(...stopping);
  scope.snapshot = values;
  if (stopping.length > 0) return { kind: "stop" };
  if (deps.mode !== "live" || !deps.recorder) return { kind: "continue" };
  try {
    await deps.recorder.record(values);
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    steps.push({
      id: SNAPSHOT_RECORD_STEP, kind: "snapshot", status: "failed", attempts: 1, durationMs: 0,
      error: { code: "SNAPSHOT_NOT_RECORDED", message: `The state before the change could not be recorded, so nothing was changed: ${error.message}`, retryable: true },
    });
    return { kind: "stop" };
  }
  return { kind: "continue" };
}
