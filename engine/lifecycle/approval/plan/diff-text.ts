/** A plan as plain text lines: what the approval mail, the approval page and `intents plan` show. */
import type { Plan, PlanChange, PlanField } from "./types";

export const NO_CHANGE = "Nothing to change: everything is already as requested.";

export function fieldLine(field: PlanField): string {
  if (field.unchanged) return `${field.name}: ${field.after} (already so)`;
  return field.before === undefined ? `${field.name}: ${field.after}` : `${field.name}: ${field.before} → ${field.after}`;
}

/** "Remove X from 4 groups: A, B, C, D": a grouped change's summary counts its items, the headline names them, and when a delay puts it later. */
export function changeHeadline(change: PlanChange): string {
  const what = change.items.length > 0 ? `${change.summary}: ${change.items.join(", ")}` : change.summary;
  return change.later ? `Later, on ${change.later.words}: ${what}` : what;
}

export function unplannedLine(stepId: string): string {
  return `Then step ${stepId}, decided when the run applies (it needs the answer of a change above)`;
}

/** One headline per change, its fields indented under it. */
export function diffLines(plan: Pick<Plan, "changes" | "unplanned">): string[] {
  if (plan.changes.length === 0 && plan.unplanned.length === 0) return [NO_CHANGE];
  return [
    ...plan.changes.flatMap((change) => [changeHeadline(change), ...change.fields.map((field) => `  ${fieldLine(field)}`)]),
    ...plan.unplanned.map(unplannedLine),
  ];
}
