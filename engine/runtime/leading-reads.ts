/**
 * What a run reads first — every snapshot step when the intent has a snapshot (they run together,
 * before every other step), else its first step — as independent Graph GETs, for each such step
 * that is one: rendered from the fields, settings and constants alone (nothing has run yet),
 * read-only, not a for-each, holding no secret, and due now (not at a start date or after a delay:
 * a scheduled run reads nothing of its own before its time). Their answers can then be fetched in
 * another `$batch` and handed to the steps (ExecuteOptions.prefetched).
 */
import type { GraphReads } from "../core/step-kind";
import type { CompiledIntent, CompiledStep } from "../language/spec/types";
import { holds } from "./conditions";
import { createScope, type RunScope } from "./scope";
import { renderInput } from "./step-input";
import { startDue } from "./timing";
import { calendarFrom } from "../language/time/calendar";
import type { RunContext } from "./types";

export interface LeadingReads extends GraphReads {
  stepId: string;
}

export function leadingReads(
  intent: CompiledIntent,
  fields: Record<string, unknown>,
  run: RunContext,
  settings: Readonly<Record<string, string | undefined>>,
): LeadingReads[] {
  const first = intent.plan.snapshot.length > 0 ? intent.plan.snapshot : intent.plan.steps.slice(0, 1);
  // Without its settings the run sends nothing at all: the interpreter refuses it first.
  if (first.length === 0 || intent.settings.some((name) => !settings[name])) return [];
  try {
    if (startDue(intent, fields, calendarFrom(settings)) !== undefined) return [];
    const scope = createScope(intent, fields, run, settings);
    return first.flatMap((step) => readsOf(step, scope));
  } catch {
    // Whatever fails to render here fails again in the step itself, where it is reported.
    return [];
  }
}

function readsOf(step: CompiledStep, scope: RunScope): LeadingReads[] {
  if (!step.kind.graphReads || step.forEach || step.handlesSecrets || step.after) return [];
  try {
    if (!holds(step.when, scope)) return [];
    const input = renderInput(step, scope);
    if (!step.kind.isReadOnly(input)) return [];
    const reads = step.kind.graphReads(input);
    return reads ? [{ stepId: step.id, ...reads }] : [];
  } catch {
    return [];
  }
}
