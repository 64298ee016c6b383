/** The values templates read: fields, declared settings, constants, run, earlier steps. */
import type { CompiledIntent } from "../spec/types";
import type { RunContext } from "./types";

export interface StepView {
  status: string;
  output: Record<string, unknown>;
}

export interface RunScope {
  fields: Record<string, unknown>;
  settings: Record<string, string | undefined>;
  constants: unknown;
  run: RunContext;
  steps: Record<string, StepView>;
}

export function createScope(intent: CompiledIntent, fields: Record<string, unknown>, run: RunContext, settings: Readonly<Record<string, string | undefined>>): RunScope {
  return {
    fields,
    settings: Object.fromEntries(intent.settings.map((name) => [name, settings[name]])),
    constants: intent.plan.constants,
    run,
    steps: {},
  };
}

/** A step that did not run (or failed) still exposes every declared output, as null. */
export function nullOutputs(names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, null]));
}
