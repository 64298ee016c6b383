/**
 * What a run reads first — its first snapshot step when the intent has a snapshot (it runs before
 * every other step), else its first step — as independent Graph GETs, when it is such a read:
 * rendered from the fields, settings and constants alone (nothing has run yet), read-only, not a
 * for-each, holding no secret, and due now (not at a start date or after a delay: a scheduled run
 * reads nothing of its own before its time). Its answer can then be fetched in another `$batch`
 * and handed to the step (ExecuteOptions.prefetched).
 */
import type { GraphReads } from "../core/step-kind";
import type { CompiledIntent } from "../language/spec/types";
import { holds } from "./conditions";
import { createScope } from "./scope";
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
): LeadingReads | undefined {
  const step = intent.plan.snapshot[0] ?? intent.plan.steps[0];
  if (!step?.kind.graphReads || step.forEach || step.handlesSecrets || step.after) return undefined;
  // Without its settings the run sends nothing at all: the interpreter refuses it first.
  if (intent.settings.some((name) => !settings[name])) return undefined;
  try {
    if (startDue(intent, fields, calendarFrom(settings)) !== undefined) return undefined;
    const scope = createScope(intent, fields, run, settings);
    if (!holds(step.when, scope)) return undefined;
    const input = renderInput(step, scope);
    if (!step.kind.isReadOnly(input)) return undefined;
    const reads = step.kind.graphReads(input);
    return reads ? { stepId: step.id, ...reads } : undefined;
  } catch {
    // Whatever fails to render here fails again in the step itself, where it is reported.
    return undefined;
  }
}
