/**
 * Maps Thread's `intent_fields` (label → value) onto an intent's typed variables: labels matched
 * ignoring case and spacing, coercion, defaults, enums, formats, dates in the tenant's calendar and
 * the intent's own JSON Schema. Every problem is reported per field at once.
 */
import type { ValidateFunction } from "ajv";
import { maskableSecret, MIN_SECRET_LENGTH } from "../../core/redaction";
import type { CompiledIntent, FieldSpec } from "./types";
import { normaliseName } from "./names";
import { compileSchema } from "./validate";
import { dateValue, datetimeValue, UTC_CALENDAR, type TenantCalendar } from "../time/calendar";

export type FieldError = { field: string; label: string; message: string };
export type MappedFields =
  | { ok: true; fields: Record<string, unknown>; identity: string; secretValues: string[] }
  | { ok: false; errors: FieldError[] };

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["no", "n", "false", "0"]);
const formatCheckers = new Map<string, ValidateFunction>();

/** The schema a field's `format` is checked with (the build precompiles the same one). */
export function formatSchema(format: string): object {
  return { type: "string", format };
}

function checkFormat(format: string, value: string): boolean {
  let check = formatCheckers.get(format);
  if (!check) formatCheckers.set(format, (check = compileSchema(formatSchema(format))));
  return check(value);
}

type Coerced = { value: unknown } | { error: string };

function coerce(field: FieldSpec, raw: unknown, calendar: TenantCalendar): Coerced {
  switch (field.type) {
    case "boolean": {
      if (typeof raw === "boolean") return { value: raw };
      const text = String(raw).trim().toLowerCase();
      if (YES.has(text)) return { value: true };
      if (NO.has(text)) return { value: false };
      return { error: "must be Yes or No" };
    }
    case "integer":
    case "number": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(n) || (field.type === "integer" && !Number.isInteger(n))) return { error: `must be ${field.type === "integer" ? "a whole number" : "a number"}` };
      return { value: n };
    }
    case "array": {
      const items = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : [raw];
      const list = items.map((item) => String(item).trim()).filter((item) => item !== "");
      return list.length === 0 ? { error: "must list at least one value" } : { value: list };
    }
    case "string": {
      if (typeof raw === "object") return { error: "must be text" };
      const text = String(raw).trim();
      if (field.enum) {
        const match = field.enum.find((option) => option.toLowerCase() === text.toLowerCase());
        return match === undefined ? { error: `must be one of: ${field.enum.join(", ")}` } : { value: match };
      }
      if (field.format && !checkFormat(field.format, text)) return { error: `must be a valid ${field.format}` };
      return { value: text };
    }
    case "date":
    case "datetime": {
      if (typeof raw !== "string") return { error: "must be a date written as text, e.g. 2026-12-18" };
      return field.type === "date" ? dateValue(raw, calendar) : datetimeValue(raw, calendar);
    }
  }
}

function isMissing(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "") || (Array.isArray(raw) && raw.length === 0);
}

/** JSON with sorted keys, so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** `calendar`: the tenant's time zone and day/month order, for `date` and `datetime` fields. */
export function mapFields(intent: CompiledIntent, intentFields: Record<string, unknown>, calendar: TenantCalendar = UTC_CALENDAR): MappedFields {
  const byLabel = new Map<string, unknown>();
  for (const [label, value] of Object.entries(intentFields ?? {})) byLabel.set(normaliseName(label), value);
  const fields: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const field of intent.fields) {
    const raw = byLabel.get(normaliseName(field.label));
    const fail = (message: string): void => void errors.push({ field: field.variable, label: field.label, message: `${field.label} ${message}` });
    if (isMissing(raw)) {
      if (field.default !== undefined) fields[field.variable] = field.default;
      else if (field.required) fail("is required");
      else fields[field.variable] = null;
      continue;
    }
    const coerced = coerce(field, raw, calendar);
    if ("error" in coerced) fail(coerced.error);
    // A secret too short to mask without masking ordinary words is refused before anything runs.
    else if (field.secret && !maskableSecret(String(coerced.value))) fail(`must be at least ${MIN_SECRET_LENGTH} characters`);
    else fields[field.variable] = coerced.value;
  }
  const validate = intent.plan.validator?.();
  if (errors.length === 0 && validate && !validate(fields)) {
    for (const error of validate.errors ?? []) {
      const variable = error.instancePath.split("/")[1] ?? (error.params as { missingProperty?: string }).missingProperty ?? "";
      const field = intent.fields.find((f) => f.variable === variable);
      const label = field?.label ?? variable;
      errors.push({ field: variable, label, message: `${label} ${error.message ?? "is invalid"}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const identity = canonicalJson(Object.fromEntries(intent.plan.identity.map((name) => [name, fields[name] ?? null])));
  const secretValues = intent.fields
    .filter((f) => f.secret && typeof fields[f.variable] === "string" && fields[f.variable] !== "")
    .map((f) => fields[f.variable] as string);
  return { ok: true, fields, identity, secretValues };
}
