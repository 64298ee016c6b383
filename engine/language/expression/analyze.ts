/**
 * Static facts about one parsed template, for the linter: which paths it reads (and where), which
 * helpers it calls with how many arguments, how deep its calls nest, which literals it compares
 * with which paths, and whether every value is an OData literal. Nothing here renders anything.
 */
import { expressionsOf, type Expr, type TemplateTree } from "./ast";
import { arity, findHelper, HELPER_NAMES, signature } from "./helpers";

export interface Reference {
  parts: string[];
  offset: number;
}

export interface TemplateProblem {
  kind: "helper" | "arguments" | "reference" | "syntax";
  message: string;
  offset: number;
}

/** `path == 'literal'`, `path in …`, `eq path 'literal'`: what the enum check compares. */
export interface Comparison {
  path: string[];
  value: string | number | boolean | null;
  /** Where the literal is. */
  offset: number;
}

export interface TemplateFacts {
  references: Reference[];
  problems: TemplateProblem[];
  /** Named predicates the template tests with. */
  predicates: Array<{ name: string; offset: number }>;
  /** Every value is an `odata` call and there is no block: the template may fill `$filter`. */
  odataOnly: boolean;
  /** Where the first value that is not an `odata` call starts. */
  odataOffset?: number;
  /** How many calls deep the deepest call is nested (`f (g x)` is 2; a pipeline's stages do not nest). */
  depth: number;
  comparisons: Comparison[];
}

export interface AnalyzeContext {
  /** Names of the predicates in reach (the intent's own and the libraries'). */
  predicates: ReadonlySet<string>;
}

const NO_PREDICATES: AnalyzeContext = { predicates: new Set() };

function callDepth(expr: Expr): number {
  switch (expr.t) {
    case "call": {
      const [input, ...rest] = expr.args;
      // A piped input is the previous stage of the same chain, not a nested call.
      const inner = Math.max(0, ...(expr.piped ? rest : expr.args).map(callDepth));
      return Math.max(expr.piped && input ? callDepth(input) : 0, 1 + inner);
    }
    case "compare":
    case "logic":
      return Math.max(callDepth(expr.left), callDepth(expr.right));
    case "not":
      return callDepth(expr.operand);
    default:
      return 0;
  }
}

export function analyzeTree(tree: TemplateTree, context: AnalyzeContext = NO_PREDICATES): TemplateFacts {
  const facts: TemplateFacts = { references: [], problems: [], predicates: [], odataOnly: true, depth: 0, comparisons: [] };
  const visit = (expr: Expr, inPredicate: boolean): void => {
    switch (expr.t) {
      case "literal":
        return;
      case "path": {
        const [root] = expr.parts;
        if (inPredicate && root === "item") return;
        if (inPredicate && expr.parts.length === 1 && context.predicates.has(root!)) {
          facts.predicates.push({ name: root!, offset: expr.at });
          return;
        }
        if (root === "this" || root?.startsWith("@")) {
          facts.problems.push({ kind: "reference", message: `"${expr.parts.join(".")}" is not allowed; name a root such as fields, steps or settings`, offset: expr.at });
          return;
        }
        if (HELPER_NAMES.has(root!) && expr.parts.length === 1) {
          facts.problems.push({ kind: "reference", message: `"${root}" is a helper, not a value; call it where an operand starts or in parentheses: (${root} …)`, offset: expr.at });
          return;
        }
        facts.references.push({ parts: [...expr.parts], offset: expr.at });
        return;
      }
      case "not":
        return visit(expr.operand, inPredicate);
      case "logic":
        visit(expr.left, inPredicate);
        return visit(expr.right, inPredicate);
      case "compare":
        noteComparison(expr.left, expr.right, facts);
        noteComparison(expr.right, expr.left, facts);
        visit(expr.left, inPredicate);
        return visit(expr.right, inPredicate);
      case "call":
        return visitCall(expr, inPredicate);
    }
  };
  const visitCall = (call: Extract<Expr, { t: "call" }>, inPredicate: boolean): void => {
    const helper = findHelper(call.name);
    if (!helper) {
      facts.problems.push({ kind: "helper", message: `unknown helper "${call.name}"; allowed: ${[...HELPER_NAMES].join(", ")}`, offset: call.at });
      call.args.forEach((arg) => visit(arg, inPredicate));
      return;
    }
    const { min, max } = arity(helper);
    if (call.args.length < min || call.args.length > max) {
      const given = call.piped ? `${call.args.length} (the piped value counts as the first)` : String(call.args.length);
      facts.problems.push({ kind: "arguments", message: `${helper.name} takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument(s), ${given} given: ${signature(helper)}`, offset: call.at });
    }
    if ((call.name === "eq" || call.name === "ne") && call.args.length === 2) {
      noteComparison(call.args[0]!, call.args[1]!, facts);
      noteComparison(call.args[1]!, call.args[0]!, facts);
    }
    call.args.forEach((arg, i) => {
      const param = helper.params[Math.min(i, helper.params.length - 1)];
      if (param?.type !== "predicate") return visit(arg, inPredicate);
      // A bare name in a test's place names a predicate; anything else is an expression over `item`.
      if (arg.t === "path" && arg.parts.length === 1 && arg.parts[0] !== "item" && !context.predicates.has(arg.parts[0]!)) {
        const declared = [...context.predicates].sort().join(", ") || "none";
        facts.problems.push({ kind: "reference", message: `no predicate is named "${arg.parts[0]}"; declared: ${declared} (or write a test over item, e.g. (item.enabled == true))`, offset: arg.at });
        return;
      }
      visit(arg, true);
    });
  };
  for (const piece of tree.pieces) {
    if (piece.t === "value") {
      const isOdata = piece.expr.t === "call" && piece.expr.name === "odata" && piece.expr.args.length > 0;
      if (!isOdata) notOdata(facts, piece.at);
    } else if (piece.t === "if") {
      notOdata(facts, piece.at);
    }
  }
  for (const expr of expressionsOf(tree.pieces)) {
    visit(expr, false);
    facts.depth = Math.max(facts.depth, callDepth(expr));
  }
  return facts;
}

function notOdata(facts: TemplateFacts, offset: number): void {
  if (facts.odataOnly) facts.odataOffset = offset;
  facts.odataOnly = false;
}

function noteComparison(side: Expr, other: Expr, facts: TemplateFacts): void {
  if (side.t === "path" && other.t === "literal") facts.comparisons.push({ path: [...side.parts], value: other.value, offset: other.at });
}
