/**
 * Time in an intent: `schedule: { at: "{{fields.NAME}}", defaultTime }` starts the run at a date
 * field's time, and a step's `after: P30D` makes it wait after the step before it. Checked at lint,
 * compiled to a field name and durations; the instants themselves depend on the tenant's calendar.
 */
import type { DiagnosticAnchor } from "../../core/step-kind";
import { instantOfValue, type TenantCalendar } from "../time/calendar";
import { isZero, parseDuration } from "../time/duration";
import { timeOfDay } from "../time/calendar";
import type { DocPath } from "./source";
import type { CompiledIntent, CompiledStart, CompiledStep, FieldSpec, IntentSpec, StepSpec } from "./types";
import type { ErrorCode } from "../../core/errors";

const FIELD_REFERENCE = /^\{\{\s*fields\.([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}$/;

function startField(spec: IntentSpec): string | undefined {
  return FIELD_REFERENCE.exec(spec.schedule?.at ?? "")?.[1];
}

export function compileStart(spec: IntentSpec): { start?: CompiledStart } {
  const field = startField(spec);
  if (!field) return {};
  const time = spec.schedule?.defaultTime;
  return { start: Object.freeze({ field, ...(time ? { timeOfDay: Object.freeze(timeOfDay(time)) } : {}) }) };
}

export function compileAfter(step: StepSpec): Pick<CompiledStep, "after"> {
  const after = step.after === undefined ? undefined : parseDuration(step.after);
  return after ? { after: Object.freeze(after) } : {};
}

type Report = (code: ErrorCode, message: string, path: DocPath, anchor?: DiagnosticAnchor) => void;

/** The schedule names one date or datetime field (not a secret); delays are longer than zero. */
export function checkSchedule(spec: IntentSpec, report: Report): void {
  const schedule = spec.schedule;
  if (schedule) {
    const name = startField(spec);
    const field = name === undefined ? undefined : spec.fields?.[name];
    if (!name) report("SPEC_SCHEDULE", "schedule.at must be one date or datetime field, written {{fields.NAME}}", ["schedule", "at"]);
    else if (!field) report("SPEC_SCHEDULE", `schedule.at names no field "${name}"; declared: ${Object.keys(spec.fields ?? {}).join(", ") || "none"}`, ["schedule", "at"]);
    else if (field.type !== "date" && field.type !== "datetime") report("SPEC_SCHEDULE", `schedule.at must name a date or datetime field; "${name}" is ${field.type}`, ["schedule", "at"]);
    else if (field.secret) report("SPEC_SCHEDULE", `schedule.at names the secret field "${name}"; a start time is shown to the requester`, ["schedule", "at"]);
    else if (schedule.defaultTime !== undefined && field.type === "datetime") {
      report("SPEC_SCHEDULE", `defaultTime applies to a date field; "${name}" is a datetime and always has its own time`, ["schedule", "defaultTime"]);
    }
  }
  (spec.steps ?? []).forEach((step, index) => {
    if (typeof step?.after !== "string") return;
    const duration = parseDuration(step.after);
    if (duration && isZero(duration)) report("SPEC_SCHEDULE", "after must be longer than zero (leave it out to run the step at once)", ["steps", index, "after"]);
  });
}

export interface ScheduledStart {
  /** Epoch ms. */
  at: number;
  field: FieldSpec;
}

/** When a scheduled intent's run starts for these mapped fields; undefined when it starts at once. */
export function scheduledStart(intent: Pick<CompiledIntent, "plan" | "fields">, fields: Record<string, unknown>, calendar: TenantCalendar): ScheduledStart | undefined {
  const start = intent.plan.start;
  if (!start) return undefined;
  const value = fields[start.field];
  const field = intent.fields.find((f) => f.variable === start.field);
  if (typeof value !== "string" || value === "" || !field) return undefined;
  const at = instantOfValue(value, calendar, start.timeOfDay);
  return at === undefined ? undefined : { at, field };
}
