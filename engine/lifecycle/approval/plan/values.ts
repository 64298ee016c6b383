/** How values read in a plan: one short line each, a masked secret never shown as its mask. */
import { MASK } from "../../../core/redaction";

/** What the approver reads for a value the run masked (a generated or given secret). */
export const HIDDEN_VALUE = "a new value (not shown)";
export const NOT_SET = "(not set)";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function showValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return NOT_SET;
  if (typeof value === "string") return value.includes(MASK) ? HIDDEN_VALUE : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "(none)";
    return value.every((item) => typeof item !== "object" || item === null) ? value.map(showValue).join(", ") : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/** A body's leaves by dotted name (`passwordProfile.password`); lists are one leaf. */
export function leaves(body: unknown, prefix = ""): Array<[string, unknown]> {
  if (!isRecord(body)) return prefix ? [[prefix, body]] : [];
  return Object.entries(body).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    return isRecord(value) && Object.keys(value).length > 0 ? leaves(value, name) : [[name, value] as [string, unknown]];
  });
}

/** The value at a dotted name inside a read answer, or undefined when the answer does not have it. */
export function valueAt(body: unknown, name: string): { found: boolean; value?: unknown } {
  let current: unknown = body;
  for (const key of name.split(".")) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return { found: false };
    current = current[key];
  }
  return { found: true, value: current };
}

/** A path as a person reads it: segments decoded (`/users/adele.vance@contoso.com`). */
export function readablePath(path: string): string {
  return path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }).join("/");
}
