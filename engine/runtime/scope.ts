/** The values templates read: fields, declared settings, constants, run, earlier steps. */
import type { CompiledIntent } from "../language/spec/types";
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

/**
 * The scope with one more name (`response`, `error`, a for-each item) for one template. Not `{ ...scope, name }`:
 * V8 copies a spread fast but adds a key the source lacks on a slow path, ~1 µs on every step.
 */
export function scopeWith(scope: object, name: string, value: unknown): object {
  const extended = Object.assign({}, scope) as Record<string, unknown>;
  extended[name] = value;
  return extended;
}

/** A step that did not run (or failed) still exposes every declared output, as null. */
export function nullOutputs(names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, null]));
}
