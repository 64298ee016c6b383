/**
 * The one check the sandbox and `intents lint` share: does a Graph request use only names that
 * Microsoft's v1.0 metadata defines? Callers word the answer their own way (Graph's 400 message,
 * or a lint error at the offending line).
 */
import { findUnknownBodyProperty, findUnknownParameter } from "./check-body";
import { resolveGraphPath } from "./resolve-path";
import { qualifiedTypeName } from "./schema";

export interface GraphNameProblem {
  kind: "segment" | "property" | "parameter";
  /** The unknown name as written. */
  name: string;
  /** "microsoft.graph.user" for a property, the operation's name for a parameter, the parent type (or "") for a segment. */
  owner: string;
  /** Where it is: the segment's index in the path, or the dotted body location ("passwordProfile.x"). */
  location: number | string;
  suggestion?: string;
  /** The lint code for this kind of problem (engine/core/errors.ts). */
  code: "SPEC_GRAPH_UNKNOWN_SEGMENT" | "SPEC_GRAPH_UNKNOWN_PROPERTY";
}

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT"]);

/**
 * The first unknown name in a request, or undefined. `path` is relative to the version root and may
 * hold `{placeholder}` segments; a placeholder where no key can go ends the check (it is dynamic).
 */
export function checkGraphRequest(method: string, path: string, body?: unknown): GraphNameProblem | undefined {
  const target = resolveGraphPath(path);
  if (!target.ok) {
    return {
      kind: "segment", name: target.unknownSegment, owner: target.parentType ? qualifiedTypeName(target.parentType) : "",
      location: target.position, code: "SPEC_GRAPH_UNKNOWN_SEGMENT", ...(target.suggestion ? { suggestion: target.suggestion } : {}),
    };
  }
  if (!WRITE_METHODS.has(method.toUpperCase()) || body === undefined || target.kind === "ref") return undefined;
  if (target.operation) {
    const unknown = findUnknownParameter(target.operation.name, target.operation.entry, body);
    return unknown && {
      kind: "parameter", name: unknown.name, owner: target.operation.name, location: unknown.path, code: "SPEC_GRAPH_UNKNOWN_PROPERTY",
      ...(unknown.suggestion ? { suggestion: unknown.suggestion } : {}),
    };
  }
  const element = target.type.replace(/\*$/, "");
  const unknown = element ? findUnknownBodyProperty(element, body) : undefined;
  return unknown && {
    kind: "property", name: unknown.name, owner: qualifiedTypeName(unknown.owner), location: unknown.path, code: "SPEC_GRAPH_UNKNOWN_PROPERTY",
    ...(unknown.suggestion ? { suggestion: unknown.suggestion } : {}),
  };
}
