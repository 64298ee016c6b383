/**
 * Checks a request's literal values against Graph v1.0's metadata, the way Graph would answer 400:
 * a `$select` name the addressed type (or a type derived from it) does not have, and a body value
 * of the wrong JSON type for its property (`accountEnabled: "false"`). Template values are the
 * run's business, not the metadata's.
 */
import { resolveGraphPath } from "./resolve-path";
import { findProperty, findPropertyInSubtypes, graphIndex, listProperties, qualifiedTypeName, typeFromQualifiedName } from "./schema";
import { suggestName } from "./suggest";

export interface SelectProblem {
  name: string;
  /** Where the name starts in the `$select` text. */
  offset: number;
  /** "microsoft.graph.user". */
  owner: string;
  suggestion?: string;
}

/** The type a GET of `path` answers with (a collection's element), or undefined when the metadata cannot say. */
function answeredType(path: string): string | undefined {
  const target = resolveGraphPath(path);
  if (!target.ok || target.kind === "operation" || target.kind === "ref") return undefined;
  const element = target.type.replace(/\*$/, "");
  return element !== "" && graphIndex().types[element] !== undefined ? element : undefined;
}

/** Every name in a literal `$select` the addressed type does not have. */
export function findUnknownSelect(path: string, select: string): SelectProblem[] {
  if (select.includes("{{")) return [];
  const type = answeredType(path);
  if (!type) return [];
  const problems: SelectProblem[] = [];
  let offset = 0;
  for (const raw of select.split(",")) {
    const name = raw.trim();
    const at = offset + raw.indexOf(name);
    offset += raw.length + 1;
    if (name === "" || name === "*" || name.includes("/") || findPropertyInSubtypes(type, name)) continue;
    const suggestion = suggestName(name, listProperties(type).map((p) => p.name));
    problems.push({ name, offset: at, owner: qualifiedTypeName(type), ...(suggestion ? { suggestion } : {}) });
  }
  return problems;
}

export interface ValueTypeProblem {
  /** Keys and indexes from the body's root to the value. */
  location: Array<string | number>;
  property: string;
  owner: string;
  expected: "boolean" | "number" | "text" | "list" | "object";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The kind of JSON a primitive or complex property takes. */
function expectedOf(type: string, scalar: "boolean" | "number" | undefined): ValueTypeProblem["expected"] {
  if (type.endsWith("*")) return "list";
  if (type === "") return scalar === "boolean" ? "boolean" : scalar === "number" ? "number" : "text";
  return "object";
}

function fits(expected: ValueTypeProblem["expected"], value: unknown): boolean {
  if (value === null || (typeof value === "string" && value.includes("{{"))) return true;
  switch (expected) {
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number";
    case "text":
      return typeof value === "string";
    case "list":
      return Array.isArray(value);
    case "object":
      return isObject(value);
  }
}

/** The primitive kind of a property, looked up on the type that declares it. */
function scalarOf(declaredOn: string, property: string): "boolean" | "number" | undefined {
  return graphIndex().types[declaredOn]?.scalars?.[property];
}

function checkObject(typeName: string, body: Record<string, unknown>, location: Array<string | number>, problems: ValueTypeProblem[]): void {
  const declared = body["@odata.type"];
  const type = (typeof declared === "string" && typeFromQualifiedName(declared)) || typeName;
  for (const [key, value] of Object.entries(body)) {
    if (key.includes("@")) continue;
    const property = findProperty(type, key);
    if (!property || property.navigation) continue;
    const expected = expectedOf(property.type, scalarOf(property.declaredOn, property.name));
    if (!fits(expected, value)) {
      problems.push({ location: [...location, key], property: property.name, owner: qualifiedTypeName(property.declaredOn), expected });
      continue;
    }
    const nested = property.type.replace(/\*$/, "");
    if (nested === "" || graphIndex().types[nested] === undefined) continue;
    if (isObject(value)) checkObject(nested, value, [...location, key], problems);
    else if (Array.isArray(value)) value.forEach((item, i) => isObject(item) && checkObject(nested, item, [...location, key, i], problems));
  }
}

/** Every literal body value of the wrong JSON type for its property, for a write to an entity. */
export function findValueTypeProblems(method: string, path: string, body: unknown): ValueTypeProblem[] {
  if (!["POST", "PATCH", "PUT"].includes(method.toUpperCase()) || !isObject(body)) return [];
  const target = resolveGraphPath(path);
  if (!target.ok || target.kind === "operation" || target.kind === "ref") return [];
  const element = target.type.replace(/\*$/, "");
  if (element === "" || graphIndex().types[element] === undefined) return [];
  const problems: ValueTypeProblem[] = [];
  checkObject(element, body, [], problems);
  return problems;
}
