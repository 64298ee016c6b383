/**
 * The template language's entry points: parse once (cached per text), analyze for the linter,
 * compile to closures for the hot path. Parse errors carry the offset of the problem.
 */
import type { Expr, TemplateTree } from "./ast";
import { analyzeTree, type AnalyzeContext, type TemplateFacts } from "./analyze";
import type { PredicateTable } from "./evaluate";
import { parseTemplate } from "./parse";
import { printExpr } from "./print";

export type { Expr, Piece, TemplateTree } from "./ast";
export type { AnalyzeContext, Comparison, Reference, TemplateFacts, TemplateProblem } from "./analyze";
export { compileExpression, compileTree, readPath, RenderError, type PredicateTable } from "./evaluate";
export { arity, findHelper, HELPER_DEFINITIONS, HELPER_NAMES, signature, truthy, type HelperDefinition } from "./helpers";
export { ParseError } from "./parse";
export { parseExpression } from "./parse-expression";

const parsed = new Map<string, TemplateTree>();

/** Throws ParseError when the text does not parse. The tree is shared: never modify it. */
export function parse(source: string): TemplateTree {
  let tree = parsed.get(source);
  if (!tree) parsed.set(source, (tree = parseTemplate(source)));
  return tree;
}

/** The parsed tree of each of these texts, for those parsed in this process: what a catalogue snapshot keeps. */
export function parsedTrees(texts: ReadonlySet<string>): Array<[string, TemplateTree]> {
  return [...parsed].filter(([source]) => texts.has(source));
}

/** Trees a build parsed from exactly these texts (a catalogue snapshot of this engine build): they are not parsed again. */
export function primeParsedTrees(entries: Iterable<readonly [string, TemplateTree]>): void {
  for (const [source, tree] of entries) if (!parsed.has(source)) parsed.set(source, tree);
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

// Tables of equal content are one object, so the caches keyed by table (analysis here, compiled
// templates in engine/language/template) hold across loads of the same intents.
const tables = new Map<string, PredicateTable>();
const contexts = new WeakMap<PredicateTable, AnalyzeContext>();

/** The one table with these predicates (by name and expression). */
export function internPredicates(entries: Iterable<readonly [string, Expr]>): PredicateTable {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = sorted.map(([name, expr]) => `${name}\u0000${printExpr(expr)}`).join("\u0001");
  let table = tables.get(key);
  if (!table) tables.set(key, (table = new Map(sorted)));
  return table;
}

/** The analysis context of a table: its predicate names. */
export function analyzeContext(table: PredicateTable): AnalyzeContext {
  let context = contexts.get(table);
  if (!context) contexts.set(table, (context = { predicates: new Set(table.keys()) }));
  return context;
}
