/**
 * Walks a Graph path through the metadata: `/users/{id}/memberOf/microsoft.graph.group` ends on a
 * collection of groups; `/users/{id}/passwordProfle` stops at its first unknown segment. A segment
 * after a collection is a key unless it names a bound operation or a type cast, so `{placeholder}`
 * segments resolve like real ids.
 */
import { findOperation, findProperty, graphIndex, isTypeOrSubtype, segmentCandidates, typeFromQualifiedName } from "./schema";
import { suggestName } from "./suggest";
import type { OperationEntry } from "./types";

export interface PathTarget {
  /** Type reference of what the path addresses ("user", "group*", "" for a primitive). */
  type: string;
  /** What the last segment was. */
  kind: "root" | "key" | "property" | "navigation" | "cast" | "operation" | "ref" | "count" | "value" | "special" | "dynamic";
  /** Set when the path ends on a bound action or function. */
  operation?: { name: string; entry: OperationEntry; boundTo: string };
}

export type PathResolution =
  | ({ ok: true } & PathTarget)
  | { ok: false; unknownSegment: string; position: number; parentType: string; suggestion?: string };

/** Service-root paths that are not in the entity container. */
const SPECIAL_ROOTS = new Set(["$batch", "$metadata"]);

function splitSegments(path: string | string[]): string[] {
  const raw = Array.isArray(path) ? path : path.split("?")[0]!.split("/");
  const segments: string[] = [];
  for (const part of raw) {
    if (part === "") continue;
    // OData key and call syntax: users('a@b.com'), delta(), getByIds(ids=…)
    const call = /^([^(]+)\((.*)\)$/.exec(part);
    if (call) {
      segments.push(call[1] as string);
      const inner = call[2] as string;
      if (inner !== "" && !inner.includes("=")) segments.push(inner.replace(/^'(.*)'$/, "$1"));
    } else segments.push(safeDecode(part));
  }
  return segments;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isStructured(typeRef: string): boolean {
  const element = typeRef.endsWith("*") ? typeRef.slice(0, -1) : typeRef;
  return element !== "" && graphIndex().types[element] !== undefined;
}

/** One step from `current` along `segment`, or undefined when the segment does not exist there. */
function step(current: PathTarget, segment: string): PathTarget | undefined {
  const typeRef = current.type;
  if (!isStructured(typeRef) || current.kind === "ref" || current.kind === "count" || current.kind === "value") return undefined;
  const collection = typeRef.endsWith("*");
  const element = collection ? typeRef.slice(0, -1) : typeRef;
  if (segment === "$ref" && (current.kind === "navigation" || current.kind === "key" || current.kind === "cast")) return { type: typeRef, kind: "ref" };
  if (segment === "$count" && collection) return { type: "", kind: "count" };
  if (segment === "$value" && !collection) return { type: "", kind: "value" };
  const cast = typeFromQualifiedName(segment);
  if (cast && (isTypeOrSubtype(cast, element) || isTypeOrSubtype(element, cast))) return { type: collection ? `${cast}*` : cast, kind: "cast" };
  const operation = findOperation(typeRef, segment);
  if (operation) return { type: operation.returns ?? "", kind: "operation", operation: { name: segment, entry: operation, boundTo: typeRef } };
  if (collection) return { type: element, kind: "key" };
  const property = findProperty(element, segment);
  if (property) return { type: property.type, kind: property.navigation ? "navigation" : "property" };
  return undefined;
}

/** Resolves a path relative to the version root (no `/v1.0`), query string ignored. */
export function resolveGraphPath(path: string | string[]): PathResolution {
  const segments = splitSegments(path);
  const first = segments[0];
  if (first === undefined) return { ok: false, unknownSegment: "", position: 0, parentType: "" };
  if (SPECIAL_ROOTS.has(first) && segments.length === 1) return { ok: true, type: "", kind: "special" };
  const rootType = graphIndex().roots[first];
  if (rootType === undefined) {
    return { ok: false, unknownSegment: first, position: 0, parentType: "", suggestion: suggestName(first, Object.keys(graphIndex().roots)) };
  }
  let current: PathTarget = { type: rootType, kind: "root" };
  for (let position = 1; position < segments.length; position++) {
    const segment = segments[position] as string;
    const next = step(current, segment);
    // A `{placeholder}` where no key can go is filled at run time: nothing after it can be checked.
    if (!next && /^\{[^{}]+\}$/.test(segment)) return { ok: true, type: "", kind: "dynamic" };
    if (!next) {
      const element = current.type.replace(/\*$/, "");
      return { ok: false, unknownSegment: segment, position, parentType: element, suggestion: suggestName(segment, element ? segmentCandidates(current.type) : []) };
    }
    current = next;
  }
  return { ok: true, ...current };
}
