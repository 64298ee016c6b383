/**
 * Checks of the field mapping beyond its schema: a default must be a value the field could hold
 * (its type, one of its enum), a format must be one the engine checks, and a template comparing a
 * field with a literal must name a value the field can have.
 */
import { fullFormats } from "ajv-formats/dist/formats";
import { suggestName } from "../../contracts/graph-metadata/suggest";
import type { Comparison } from "../expression";
import type { DocPath } from "./source";
import type { IntentSpec } from "./types";
import type { Report } from "./report";

/** Formats a field may name: those the JSON Schema checker knows (a name it does not know would check nothing). */
export const FIELD_FORMATS: readonly string[] = Object.keys(fullFormats).sort();

type FieldSpecAsWritten = IntentSpec["fields"][string];

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** What is wrong with a default for its field, or undefined. */
function defaultProblem(field: FieldSpecAsWritten, value: unknown): string | undefined {
  switch (field.type) {
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, not ${describe(value)}`;
    case "integer":
      return Number.isInteger(value) ? undefined : `must be a whole number, not ${describe(value)}`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : `must be a number, not ${describe(value)}`;
    case "array":
      return Array.isArray(value) && value.every((item) => typeof item === "string") ? undefined : `must be a list of text, not ${describe(value)}`;
    case "string": {
      if (typeof value !== "string") return `must be text, not ${describe(value)}`;
      if (field.enum && !field.enum.includes(value)) {
        const suggestion = suggestName(value, [...field.enum]);
        return `"${value}" is not one of the field's values (${field.enum.join(", ")})${suggestion ? `; did you mean ${suggestion}?` : ""}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function checkFieldValues(spec: IntentSpec, report: Report): void {
  for (const [variable, field] of Object.entries(spec.fields ?? {})) {
    if (!field || typeof field !== "object") continue;
    const at: DocPath = ["fields", variable];
    if (field.default !== undefined && !field.secret) {
      const problem = defaultProblem(field, field.default);
      if (problem) report("SPEC_FIELD_DEFAULT", `the default of "${variable}" ${problem}`, [...at, "default"]);
    }
    if (typeof field.format === "string" && !FIELD_FORMATS.includes(field.format)) {
      const suggestion = suggestName(field.format, [...FIELD_FORMATS]);
      report("SPEC_UNKNOWN_FORMAT", `format "${field.format}" is not one the engine checks${suggestion ? `; did you mean ${suggestion}?` : ""} (known: ${FIELD_FORMATS.join(", ")})`, [...at, "format"]);
    }
  }
}

/**
 * A template that compares a field having an enum with a literal must name one of its values:
 * mapped values take the enum's spelling, so anything else can never be equal.
 */
export function checkEnumComparisons(spec: IntentSpec, comparisons: readonly Comparison[], path: DocPath, report: Report): void {
  for (const { path: read, value, offset } of comparisons) {
    const [root, variable, ...rest] = read;
    if (root !== "fields" || variable === undefined || rest.length > 0) continue;
    const field = spec.fields?.[variable];
    if (!field?.enum || value === null) continue;
    if (typeof value === "string" && field.enum.includes(value)) continue;
    const suggestion = typeof value === "string" ? suggestName(value, [...field.enum]) : undefined;
    report(
      "SPEC_ENUM_VALUE",
      `fields.${variable} is one of ${field.enum.map((v) => `'${v}'`).join(", ")}, so it is never ${typeof value === "string" ? `'${value}'` : String(value)}${suggestion ? `; did you mean '${suggestion}'?` : ""}`,
      path,
      { offset },
    );
  }
}
