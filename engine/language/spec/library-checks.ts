/**
 * A library checked on its own: each predicate is one expression over `item` (and other
 * predicates, without a cycle), and each template reads only what a library may — its inputs, the
 * run, and `response` where an answer is known. Uses of its fragments are checked in the intents.
 */
import type { ErrorCode } from "../../core/errors";
import type { DiagnosticAnchor, StaticStep } from "../../core/step-kind";
import type { DocPath, SourceFile } from "./source";
import { analyze, ParseError, parse, type Comparison, type Expr, type Reference, type TemplateProblem } from "../expression";
import type { LibraryRule, Predicate } from "./library-types";

export type Report = (code: ErrorCode, message: string, path: DocPath, anchor?: DiagnosticAnchor) => void;

/** Roots a library template may read where it is: its inputs, the run, and `response` where an answer is known. */
export interface LibraryScope {
  inputs: ReadonlySet<string>;
  response: boolean;
}

/** A predicate is written as one `{{expression}}`. */
export function predicateExpression(text: string, path: DocPath, report: Report): Expr | undefined {
  try {
    const tree = parse(text);
    const [only] = tree.pieces;
    if (!tree.lone || only?.t !== "value") {
      report("SPEC_TEMPLATE_SYNTAX", "a predicate is one {{expression}} over item, with no text around it", path);
      return undefined;
    }
    return only.expr;
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    report("SPEC_TEMPLATE_SYNTAX", `predicate does not parse: ${thrown.message}`, path, { offset: thrown.offset });
    return undefined;
  }
}

/** A library predicate reads only `item` and other predicates: it must mean the same in every intent. */
export function checkPredicate(predicate: Predicate, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  const facts = analyzePredicate(predicate.text, predicates);
  reportProblems(facts.problems, predicate.at.path, report);
  for (const reference of facts.references) {
    report("SPEC_UNKNOWN_REFERENCE", `"${reference.parts.join(".")}": a library predicate reads only item and other predicates (pass anything else through a fragment's inputs)`, predicate.at.path, { offset: reference.offset });
  }
  const cycle = findCycle(predicate.name, predicates);
  if (cycle) report("SPEC_UNKNOWN_REFERENCE", `predicate "${predicate.name}" names itself through ${cycle.join(" → ")}`, predicate.at.path);
}

/**
 * A predicate's text read as a test of one item, as a predicate argument is: `item` is the item
 * under test and predicate names test it too, so neither is a reference. Offsets are the text's own.
 */
export function analyzePredicate(text: string, predicates: ReadonlyMap<string, unknown>): { problems: TemplateProblem[]; references: Reference[]; predicates: string[]; comparisons: Comparison[] } {
  // `{{is item (` is 9 characters longer than `{{`.
  const facts = analyze(`{{is item (${text.slice(2, -2)})}}`, { predicates: new Set(predicates.keys()) });
  const shift = <T extends { offset: number }>(x: T): T => ({ ...x, offset: Math.max(0, x.offset - 9) });
  return {
    problems: facts.problems.map(shift),
    references: facts.references.filter((r) => !(r.parts.length === 1 && r.parts[0] === "item")).map(shift),
    predicates: facts.predicates.map((p) => p.name),
    comparisons: facts.comparisons.map(shift),
  };
}

function findCycle(start: string, predicates: ReadonlyMap<string, Predicate>): string[] | undefined {
  const visit = (name: string, trail: string[]): string[] | undefined => {
    const predicate = predicates.get(name);
    if (!predicate) return undefined;
    for (const next of analyzePredicate(predicate.text, predicates).predicates) {
      if (next === start) return [...trail, next];
      if (!trail.includes(next)) {
        const found = visit(next, [...trail, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(start, [start]);
}

export function checkRules(rules: readonly LibraryRule[], path: DocPath, inputs: ReadonlySet<string>, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  rules.forEach((rule, i) => {
    const scope = { inputs, response: true };
    checkLibraryTemplate(rule.when, [...path, i, "when"], scope, predicates, report);
    if (rule.error) checkLibraryTemplate(rule.error.message, [...path, i, "error", "message"], scope, predicates, report);
  });
}

const RUN_KEYS = new Set(["runId", "ticketId", "intentName", "contactName", "contactEmail", "companyName"]);

export function checkLibraryTemplate(text: string, path: DocPath, scope: LibraryScope, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  if (!text.includes("{{")) return;
  let facts;
  try {
    facts = analyze(text, { predicates: new Set(predicates.keys()) });
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    return report("SPEC_TEMPLATE_SYNTAX", `template does not parse: ${thrown.message}`, path, { offset: thrown.offset });
  }
  reportProblems(facts.problems, path, report);
  for (const { parts, offset } of facts.references) {
    const [root, name] = parts;
    const shown = parts.join(".");
    let why: string | undefined;
    if (root === "inputs") why = name !== undefined && scope.inputs.has(name) ? undefined : `no input "${name ?? ""}"; declared: ${[...scope.inputs].join(", ") || "none"}`;
    else if (root === "run") why = RUN_KEYS.has(name ?? "") ? undefined : `run has only ${[...RUN_KEYS].join(", ")}`;
    else if (root === "response") why = scope.response ? undefined : "response is only readable in outputs and outcome rules";
    else why = `a library template reads inputs, run${scope.response ? " and response" : ""}; pass anything else through an input`;
    if (why) report("SPEC_UNKNOWN_REFERENCE", `"${shown}": ${why}`, path, { offset });
  }
}

export function reportProblems(problems: ReadonlyArray<{ kind: string; message: string; offset: number }>, path: DocPath, report: Report): void {
  for (const problem of problems) {
    const code: ErrorCode =
      problem.kind === "helper" ? "SPEC_UNKNOWN_HELPER" : problem.kind === "arguments" ? "SPEC_HELPER_ARGUMENTS" : problem.kind === "reference" ? "SPEC_UNKNOWN_REFERENCE" : "SPEC_TEMPLATE_SYNTAX";
    report(code, problem.message, path, { offset: problem.offset });
  }
}

export function walkStrings(value: unknown, path: DocPath, visit: (text: string, path: DocPath) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, [...path, i], visit));
  else if (value !== null && typeof value === "object") for (const [key, child] of Object.entries(value)) walkStrings(child, [...path, key], visit);
}

export function staticRequest(source: SourceFile, at: DocPath, request: unknown): StaticStep {
  return {
    id: String(at[1]),
    kind: "graph:request",
    with: request,
    locate: (path) => source.locate([...at, ...path]),
    isLiteral: (path) => source.isLiteral([...at, ...path]),
  };
}
