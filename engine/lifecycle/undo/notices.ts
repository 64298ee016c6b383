/**
 * An undo's notices as sentences: what cannot be reversed (rendered before its steps, from what the
 * run recorded and did) and what someone changed since (after them, reading what its steps read).
 * A notice that cannot render is reported as such rather than dropped: a plan never hides a change.
 */
import { ensureIntentError } from "../../core/errors";
import type { CompiledIntent, CompiledNotice } from "../../language/spec/types";
import { holds } from "../../runtime/conditions";
import { createScope, nullOutputs, scopeWith, type RunScope } from "../../runtime/scope";
import type { RunContext, RunResult, UndoContext } from "../../runtime/types";

/** The undo's scope: its fields, settings, constants and run, the snapshot and original, and its steps as they ended. */
export function noticeScope(
  intent: CompiledIntent, fields: Record<string, unknown>, run: RunContext, settings: Readonly<Record<string, string | undefined>>, context: UndoContext, result?: RunResult,
): RunScope {
  const scope = createScope(intent, fields, run, settings);
  scope.snapshot = context.snapshot;
  scope.original = context.original;
  for (const step of intent.plan.steps) {
    const ended = result?.steps.find((s) => s.id === step.id);
    const names = [...Object.keys(step.kind.outputs ?? {}), ...step.outputs.map(([name]) => name)];
    scope.steps[step.id] = { status: ended?.status ?? "skipped", output: { ...nullOutputs(names), ...(ended?.outputs ?? {}) } };
  }
  return scope;
}

export function renderNotices(notices: readonly CompiledNotice[], scope: object): string[] {
  const sentences: string[] = [];
  for (const notice of notices) {
    try {
      if (!holds(notice.when, scope)) continue;
      const items = notice.forEach ? notice.forEach.render(scope) : [undefined];
      for (const item of Array.isArray(items) ? items : []) {
        sentences.push(String(notice.message.render(notice.forEach ? scopeWith(scope, notice.as, item) : scope)));
      }
    } catch (thrown) {
      sentences.push(`A notice of this undo could not be worded (${ensureIntentError(thrown).message}); check the run's steps.`);
    }
  }
  return sentences;
}
