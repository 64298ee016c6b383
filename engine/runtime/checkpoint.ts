/**
 * What a resumed run may reuse. Every finished step is saved, those that touched a secret too:
 * their non-secret outputs (ids, what was made) masked, their secret outputs (a generated password,
 * a Temporary Access Pass) apart, for the journal to seal. A resumed run so restores the very
 * credential it already set or made, and delivers that one, instead of making another. A pending
 * step saves only its kind's state (a job name) or its delivery retries, never a result.
 */
import type { CompiledStep } from "../language/spec/types";
import type { Redactor } from "../core/redaction";
import type { DeliveryRetry, RunJournal, StepCheckpoint, StepResult } from "./types";

export async function loadCheckpoints(journal: RunJournal | undefined): Promise<Record<string, StepCheckpoint>> {
  return journal ? await journal.load() : {};
}

/** A finished step restored from its checkpoint; a pending one is run again with its state. */
export function restorable(checkpoint: StepCheckpoint): boolean {
  return checkpoint.state === undefined && checkpoint.retry === undefined;
}

/** The checkpoint of a finished step: secret outputs apart, the rest masked where the step held a secret. */
export function finishedCheckpoint(step: CompiledStep, result: StepResult, outputs: Record<string, unknown>, redactor: Redactor): StepCheckpoint {
  if (!step.handlesSecrets) return { result, outputs };
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (!step.secretOutputs.has(name)) plain[name] = value;
    else if (typeof value === "string" && value !== "") secrets[name] = value;
    else plain[name] = null;
  }
  const checkpoint: StepCheckpoint = { result, outputs: redactor.mask(plain) };
  if (Object.keys(secrets).length > 0) checkpoint.secrets = secrets;
  return checkpoint;
}

export async function savePending(journal: RunJournal | undefined, step: CompiledStep, result: StepResult, state: unknown, retry?: DeliveryRetry): Promise<void> {
  if (!journal) return;
  const checkpoint: StepCheckpoint = { result, outputs: {} };
  if (state !== undefined) checkpoint.state = state;
  if (retry !== undefined) checkpoint.retry = retry;
  await journal.save(step.id, checkpoint);
}

/**
 * True once no step that reads a secret output still needs it: each has completed (not failed,
 * not pending, not yet run). Until then a redelivery or continuation may need the sealed value.
 */
export function secretsDelivered(steps: readonly CompiledStep[], results: readonly StepResult[]): boolean {
  const status = new Map(results.map((result) => [result.id, result.status]));
  return steps.every((step) => {
    if (!step.readsSecretOutputs) return true;
    const done = status.get(step.id);
    return done === "changed" || done === "ok" || done === "skipped";
  });
}
