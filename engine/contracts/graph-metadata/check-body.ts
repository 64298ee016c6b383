/**
 * Finds the first name in a request body that the target type or action does not declare, the way
 * Graph refuses `{"passwordProfle": …}` on a user. Nested complex values are checked too
 * (`passwordProfile.forceChangePaswordNextSignIn`); annotations (`@odata.type`,
 * `members@odata.bind`) are not properties.
 */
import { findProperty, graphIndex, listProperties, typeFromQualifiedName } from "./schema";
import { suggestName } from "./suggest";
import type { OperationEntry } from "./types";

export interface UnknownName {
  name: string;
  /** Index name of the type that lacks it ("user"), or the operation's name for a parameter. */
  owner: string;
  /** Dotted location in the body, e.g. "passwordProfile.forceChangePaswordNextSignIn". */
  path: string;
  suggestion?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first body property that does not exist on `typeName` (structural or navigation), or undefined. */
export function findUnknownBodyProperty(typeName: string, body: unknown, prefix = ""): UnknownName | undefined {
  if (!isPlainObject(body) || graphIndex().types[typeName] === undefined) return undefined;
  const declared = body["@odata.type"];
  const actualType = (typeof declared === "string" && typeFromQualifiedName(declared)) || typeName;
  for (const [key, value] of Object.entries(body)) {
    if (key.includes("@")) continue;
    const path = prefix + key;
    const property = findProperty(actualType, key);
    if (!property) {
      return { name: key, owner: actualType, path, suggestion: suggestName(key, listProperties(actualType).map((p) => p.name)) };
    }
    const nested = property.type.replace(/\*$/, "");
    if (nested === "" || property.navigation) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      const problem = findUnknownBodyProperty(nested, item, `${path}.`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The first body key that is not a parameter of the bound action (compared ignoring case, as Graph does), or undefined. */
export function findUnknownParameter(operationName: string, operation: OperationEntry, body: unknown): UnknownName | undefined {
  if (!isPlainObject(body)) return undefined;
  for (const key of Object.keys(body)) {
    if (key.includes("@") || operation.parameters.some((p) => p.toLowerCase() === key.toLowerCase())) continue;
    return { name: key, owner: operationName, path: key, suggestion: suggestName(key, operation.parameters) };
  }
  return undefined;
}
