/**
 * What the run being undone did, as its undo reads it (`original.steps.<id>.status` / `.changed`),
 * from the result its record keeps. A step the run never reached reads as skipped. A for-each step
 * changed something when any item did; one whose items the record no longer lists (a record
 * summarised past its size) is taken to have changed when it did not end `ok` or `skipped`, so the
 * undo looks at the tenant rather than assume nothing happened.
 */
import type { CompiledIntent } from "../../language/spec/types";
import type { OriginalStep, StepResult, UndoContext } from "../../runtime/types";
import type { RunRecord } from "../store/types";

function changed(step: StepResult): boolean {
  if (step.status === "changed") return true;
  if (step.items === undefined) return false;
  const items = step.items as unknown[];
  const listed = Array.isArray(items) && items.every((item) => typeof item === "object" && item !== null && "status" in item);
  if (!listed) return step.status === "failed";
  return step.items.some((item) => item.status === "changed");
}

export function originalOf(record: RunRecord, intent: CompiledIntent): UndoContext["original"] {
  const steps: Record<string, OriginalStep> = {};
  for (const step of [...intent.plan.snapshot, ...intent.plan.steps]) steps[step.id] = { status: "skipped", changed: false };
  for (const step of record.result?.steps ?? []) {
    if (Object.hasOwn(steps, step.id)) steps[step.id] = { status: step.status, changed: changed(step) };
  }
  return { runId: record.runId, status: record.status, steps };
}
