/**
 * What a fragment use is checked for where it is written: a name no library defines (with the
 * nearest one), an input of the wrong type.
 */
import { suggestName } from "../../contracts/graph-metadata/suggest";
import type { FragmentInput } from "./library-types";

/** The message for a use of a name no library in reach defines. */
export function unknownFragmentMessage(kind: string, name: string, known: Iterable<string>): string {
  const names = [...known];
  const suggestion = suggestName(name, names);
  const hint = suggestion ? `; did you mean ${suggestion}?` : names.length > 0 ? `; known: ${names.sort().join(", ")}` : "; no library in reach defines one (libraries live in shared/ beside the intents)";
  return `no ${kind} is named "${name}"${hint}`;
}

/** The message for an input the fragment does not declare. */
export function unknownInputMessage(fragment: string, name: string, known: string[]): string {
  const suggestion = suggestName(name, known);
  return `"${fragment}" has no input "${name}"${suggestion ? `; did you mean ${suggestion}?` : `; its inputs: ${known.join(", ") || "none"}`}`;
}

/** What is wrong with an input value for its declared type, or undefined. */
export function typeProblem(declared: FragmentInput, value: unknown): string | undefined {
  if (typeof value === "string" && value.includes("{{")) {
    const lone = /^\{\{[\s\S]*\}\}$/.test(value.trim());
    return declared.type === "string" || lone ? undefined : `is declared ${declared.type}: pass one {{expression}} or a ${declared.type} value`;
  }
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const fits =
    declared.type === "integer" ? Number.isInteger(value) : declared.type === "number" ? actual === "number" : declared.type === "object" ? actual === "object" : actual === declared.type;
  return fits ? undefined : `is declared ${declared.type}, but ${JSON.stringify(value)} is ${actual === "number" && declared.type === "integer" ? "not a whole number" : `a${/^[aeiou]/.test(actual) ? "n" : ""} ${actual}`}`;
}
