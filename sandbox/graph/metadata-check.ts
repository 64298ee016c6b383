/**
 * Refuses what real Graph refuses before any route runs: a path segment, body property, action
 * parameter or $select name that Microsoft's v1.0 metadata does not define. Messages follow the
 * OData wording Graph uses.
 */
import {
  findPropertyInSubtypes, findUnknownBodyProperty, findUnknownParameter, qualifiedTypeName, resolveGraphPath,
} from "../../engine/graph-metadata";
import { badRequest } from "./errors";
import type { GraphCall, GraphResult } from "./types";

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT"]);

export function checkAgainstMetadata(call: GraphCall): GraphResult | undefined {
  const target = resolveGraphPath(call.path);
  if (!target.ok) {
    const hint = target.suggestion ? ` Did you mean '${target.suggestion}'?` : "";
    return badRequest(`Resource not found for the segment '${target.unknownSegment}'.${hint}`);
  }
  const element = target.type.replace(/\*$/, "");
  const select = call.query.get("$select");
  if (select && element && target.kind !== "operation") {
    for (const name of select.split(",").map((s) => s.trim()).filter(Boolean)) {
      if (!findPropertyInSubtypes(element, name)) return badRequest(`Could not find a property named '${name}' on type '${qualifiedTypeName(element)}'.`);
    }
  }
  if (!WRITE_METHODS.has(call.method) || call.body === undefined || target.kind === "ref") return undefined;
  if (target.operation) {
    const unknown = findUnknownParameter(target.operation.name, target.operation.entry, call.body);
    if (!unknown) return undefined;
    const hint = unknown.suggestion ? ` Did you mean '${unknown.suggestion}'?` : "";
    return badRequest(`The parameter '${unknown.name}' in the request payload is not a valid parameter for the operation '${target.operation.name}'.${hint}`);
  }
  if (!element) return undefined;
  const unknown = findUnknownBodyProperty(element, call.body);
  if (!unknown) return undefined;
  return badRequest(
    `Property '${unknown.name}' does not exist on type '${qualifiedTypeName(unknown.owner)}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    unknown.suggestion ? { details: [{ code: "UnknownProperty", target: unknown.path, message: `Did you mean '${unknown.suggestion}'?` }] } : {},
  );
}
