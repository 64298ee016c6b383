/** The values templates read: fields, declared settings, guarded secret settings, constants, run, earlier steps. */
import { isPlainSetting } from "../core/credentials";
import type { CompiledIntent } from "../language/spec/types";
import { GUARDED_SECRETS, SECRET_VALUES } from "../language/template/secret-slot";
import type { RunContext, SnapshotValues, UndoContext } from "./types";

export interface StepView {
  status: string;
  output: Record<string, unknown>;
}

export interface RunScope {
  fields: Record<string, unknown>;
  settings: Record<string, string | undefined>;
  /** Guarded: only a secret slot of a step's input reveals the values kept under SECRET_VALUES. */
  secrets: object;
  [SECRET_VALUES]?: Record<string, unknown>;
  constants: unknown;
  run: RunContext;
  steps: Record<string, StepView>;
  /** The snapshot steps' outputs (`snapshot.<id>.<name>`): read by this run, or recorded by the run an undo reverses. */
  snapshot?: SnapshotValues;
  /** An undo: what the run it reverses did. */
  original?: UndoContext["original"];
}

export function createScope(intent: CompiledIntent, fields: Record<string, unknown>, run: RunContext, settings: Readonly<Record<string, string | undefined>>): RunScope {
  return {
    fields,
    // A credential or a setting named as a secret never enters the scope, whatever the plan declares.
    settings: Object.fromEntries(intent.settings.filter(isPlainSetting).map((name) => [name, settings[name]])),
    secrets: GUARDED_SECRETS,
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
