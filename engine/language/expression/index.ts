/**
 * The template language's entry points: parse once (cached per text), analyze for the linter,
 * compile to closures for the hot path. Parse errors carry the offset of the problem.
 */
import type { TemplateTree } from "./ast";
import { analyzeTree, type AnalyzeContext, type TemplateFacts } from "./analyze";
import { parseTemplate } from "./parse";

export type { Expr, Piece, TemplateTree } from "./ast";
export type { AnalyzeContext, Comparison, Reference, TemplateFacts, TemplateProblem } from "./analyze";
export { compileExpression, compileTree, readPath, RenderError, type PredicateTable } from "./evaluate";
export { arity, findHelper, HELPER_DEFINITIONS, HELPER_NAMES, signature, truthy, type HelperDefinition } from "./helpers";
export { ParseError, parseExpression } from "./parse";

const parsed = new Map<string, TemplateTree>();

/** Throws ParseError when the text does not parse. The tree is shared: never modify it. */
export function parse(source: string): TemplateTree {
  let tree = parsed.get(source);
  if (!tree) parsed.set(source, (tree = parseTemplate(source)));
  return tree;
}

const analyzed = new WeakMap<AnalyzeContext, Map<string, TemplateFacts>>();
const DEFAULT_CONTEXT: AnalyzeContext = { predicates: new Set() };

/** Facts never change for one text in one context, and the linter and the compiler ask alike. */
export function analyze(source: string, context: AnalyzeContext = DEFAULT_CONTEXT): TemplateFacts {
  let byText = analyzed.get(context);
  if (!byText) analyzed.set(context, (byText = new Map()));
  let facts = byText.get(source);
  if (!facts) byText.set(source, (facts = analyzeTree(parse(source), context)));
  return facts;
}
