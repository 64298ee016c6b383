/**
 * What a resumed run may reuse. Steps that handle a secret are never saved, so a resumed run
 * re-creates and re-delivers a credential rather than lose it; a pending step saves only its
 * kind's state (a job name), never a result.
 */
import type { CompiledStep } from "../language/spec/types";
import type { RunJournal, StepCheckpoint, StepResult } from "./types";

export async function loadCheckpoints(journal: RunJournal | undefined): Promise<Record<string, StepCheckpoint>> {
  return journal ? await journal.load() : {};
}

/** A finished step restored from its checkpoint; a pending one is run again with its state. */
export function restorable(checkpoint: StepCheckpoint): boolean {
  return checkpoint.state === undefined;
}

export async function saveFinished(journal: RunJournal | undefined, step: CompiledStep, result: StepResult, outputs: Record<string, unknown>): Promise<void> {
  if (!journal || step.handlesSecrets) return;
  await journal.save(step.id, { result, outputs });
}

export async function savePending(journal: RunJournal | undefined, step: CompiledStep, result: StepResult, state: unknown): Promise<void> {
  if (journal) await journal.save(step.id, { result, outputs: {}, state });
}
