/**
 * Refuses what real Graph refuses before any route runs: a path segment, body property, action
 * parameter or $select name that Microsoft's v1.0 metadata does not define. Messages follow the
 * OData wording Graph uses.
 */
import { checkGraphRequest, findPropertyInSubtypes, qualifiedTypeName, resolveGraphPath } from "../../engine/contracts/graph-metadata";
import { badRequest } from "./errors";
import type { GraphCall, GraphResult } from "./types";

function didYouMean(suggestion: string | undefined): string {
  return suggestion ? ` Did you mean '${suggestion}'?` : "";
}

function checkSelect(call: GraphCall): GraphResult | undefined {
  const select = call.query.get("$select");
  const target = resolveGraphPath(call.path);
  if (!select || !target.ok || target.kind === "operation") return undefined;
  const element = target.type.replace(/\*$/, "");
  if (!element) return undefined;
  for (const name of select.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!findPropertyInSubtypes(element, name)) return badRequest(`Could not find a property named '${name}' on type '${qualifiedTypeName(element)}'.`);
  }
  return undefined;
}

export function checkAgainstMetadata(call: GraphCall): GraphResult | undefined {
  const problem = checkGraphRequest(call.method, call.path, call.body);
  if (!problem) return checkSelect(call);
  switch (problem.kind) {
    case "segment":
      return badRequest(`Resource not found for the segment '${problem.name}'.${didYouMean(problem.suggestion)}`);
    case "parameter":
      return badRequest(`The parameter '${problem.name}' in the request payload is not a valid parameter for the operation '${problem.owner}'.${didYouMean(problem.suggestion)}`);
    default:
      return badRequest(
        `Property '${problem.name}' does not exist on type '${problem.owner}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        problem.suggestion ? { details: [{ code: "UnknownProperty", target: String(problem.location), message: `Did you mean '${problem.suggestion}'?` }] } : {},
      );
  }
}
