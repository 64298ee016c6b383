/**
 * `intents lint` asks the Graph v1.0 metadata about one literal request: every path segment must
 * exist, and every literal body key must be a property of the target type (or a parameter of the
 * action). Template values are skipped; their keys are still checked. The sandbox refuses the
 * same requests with Graph's 400, through the same checkGraphRequest.
 */
import { checkGraphRequest, type GraphNameProblem } from "../../contracts/graph-metadata";
import { findUnknownSelect, findValueTypeProblems } from "../../contracts/graph-metadata/check-values";
import type { ReportDiagnostic } from "../../core/step-kind";

type Path = ReadonlyArray<string | number>;

// Each pass removes the key it reported, so a body with many misspellings reports each once.
const MAX_PROBLEMS_PER_REQUEST = 20;

function didYouMean(problem: GraphNameProblem): string {
  return problem.suggestion ? `; did you mean ${problem.suggestion}?` : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The document path of a dotted body location: the checker walks array items without naming their
 * index, so the first item holding the key is the one it reported.
 */
function bodyPath(body: unknown, dotted: string): Path | undefined {
  const path: Array<string | number> = [];
  let current = body;
  for (const key of dotted.split(".")) {
    if (Array.isArray(current)) {
      const index = current.findIndex((item) => isObject(item) && Object.hasOwn(item, key));
      if (index < 0) return undefined;
      path.push(index);
      current = current[index];
    }
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    path.push(key);
    current = current[key];
  }
  return path;
}

function removeAt(body: unknown, path: Path): void {
  const parent = path.slice(0, -1).reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], body);
  delete (parent as Record<string, unknown>)[String(path[path.length - 1])];
}

/** Where `segment` of `path` starts in its text, so the diagnostic points at the segment itself. */
function segmentOffset(path: string, segment: string): number {
  const at = path.indexOf(`/${segment}`);
  return at < 0 ? 0 : at + 1;
}

/**
 * Reports unknown names in a request at `base` inside the step's `with`. `method` is undefined
 * when it is not a literal: the path is still checked, the body is not.
 */
export function lintGraphNames(method: string | undefined, path: string, body: unknown, report: ReportDiagnostic, base: Path, select?: unknown): void {
  const first = checkGraphRequest(method ?? "GET", path);
  if (first) {
    const where = first.owner ? ` of ${first.owner}` : " at the service root";
    const message = `unknown Graph path segment "${first.name}"${where} in ${path}${didYouMean(first)}`;
    report(first.code, message, [...base, "path"], { offset: segmentOffset(path, first.name) });
    return;
  }
  if (typeof select === "string") {
    for (const problem of findUnknownSelect(path, select)) {
      const hint = problem.suggestion ? `; did you mean ${problem.suggestion}?` : "";
      report("SPEC_GRAPH_UNKNOWN_PROPERTY", `$select names "${problem.name}", which is not a property of ${problem.owner}${hint}`, [...base, "query", "$select"], { offset: problem.offset });
    }
  }
  if (method === undefined || !isObject(body)) return;
  for (const problem of findValueTypeProblems(method, path, body)) {
    const value = problem.location.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], body);
    const expected = { boolean: "a boolean (true or false)", number: "a number", text: "text", list: "a list", object: "an object" }[problem.expected];
    const shown = typeof value === "string" ? `the text ${JSON.stringify(value)}` : Array.isArray(value) ? "a list" : `${JSON.stringify(value)}`;
    const unquoted = typeof value === "string" && ((problem.expected === "boolean" && /^(true|false)$/.test(value)) || (problem.expected === "number" && /^-?\d+(\.\d+)?$/.test(value)));
    const quoted = unquoted ? ` (write it without quotes: ${value})` : problem.expected === "boolean" ? "; write true or false" : "";
    report("SPEC_GRAPH_VALUE_TYPE", `${problem.property} of ${problem.owner} is ${expected}, not ${shown}${quoted}`, [...base, "body", ...problem.location]);
  }
  const remaining = structuredClone(body);
  for (let found = 0; found < MAX_PROBLEMS_PER_REQUEST; found++) {
    const problem = checkGraphRequest(method, path, remaining);
    if (!problem) return;
    const at = bodyPath(remaining, String(problem.location));
    if (!at) return;
    const owner = problem.kind === "parameter" ? `a parameter of the action ${problem.owner}` : `a property of ${problem.owner}`;
    report(problem.code, `"${problem.name}" is not ${owner}${didYouMean(problem)}`, [...base, "body", ...at], { key: true });
    removeAt(remaining, at);
  }
}
