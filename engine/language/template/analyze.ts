/**
 * Static facts about one template, for the linter: which paths it reads, which helpers it calls,
 * and whether every interpolation goes through `odata`. Nothing here renders anything.
 */
import { BLOCK_HELPER_NAMES, HELPER_NAMES } from "./helpers";
import { parseTemplate } from "./parse";

export interface TemplateFacts {
  /** Data paths read, e.g. ["steps", "lookup", "output", "userId"]. */
  references: string[][];
  /** Where each of `references` starts in the template text (a character offset), in the same order. */
  referenceOffsets: number[];
  /** Problems found while walking (unknown helpers, partials, `this`, `../`), each where it starts. */
  problems: Array<{ kind: "helper" | "reference" | "syntax"; message: string; offset: number }>;
  /** True when every top-level `{{…}}` is a call of `odata` (or a literal). */
  odataOnly: boolean;
  /** Where the first interpolation that is not an `odata` call starts, when there is one. */
  odataOffset?: number;
}

type Node = hbs.AST.Node;

// The linter and the compiler both ask about the same strings; facts never change for a source.
const cache = new Map<string, TemplateFacts>();

/** Throws Handlebars' parse error when the template does not parse. */
export function analyzeTemplate(source: string): TemplateFacts {
  let facts = cache.get(source);
  if (!facts) cache.set(source, (facts = analyzeUncached(source)));
  return facts;
}

/** Character offset of a Handlebars location (1-based line, 0-based column) in the template text. */
function offsetIn(lineStarts: readonly number[], node: Node): number {
  const start = node.loc?.start;
  return start ? (lineStarts[start.line - 1] ?? 0) + start.column : 0;
}

function analyzeUncached(source: string): TemplateFacts {
  const facts: TemplateFacts = { references: [], referenceOffsets: [], problems: [], odataOnly: true };
  const program = parseTemplate(source);
  const lineStarts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const at = (node: Node): number => offsetIn(lineStarts, node);
  const visitPath = (path: hbs.AST.PathExpression): void => {
    if (path.data || path.depth > 0 || path.parts.length === 0 || /^this\b|^\.\.?\//.test(path.original)) {
      facts.problems.push({ kind: "reference", message: `"${path.original}" is not allowed; name a root such as fields, steps or settings`, offset: at(path) });
      return;
    }
    facts.references.push([...path.parts]);
    facts.referenceOffsets.push(at(path));
  };
  const visitExpression = (node: Node): void => {
    if (node.type === "PathExpression") visitPath(node as hbs.AST.PathExpression);
    else if (node.type === "SubExpression") visitCall(node as hbs.AST.SubExpression, false);
  };
  const visitCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, block: boolean): void => {
    const hash = node.hash?.pairs.map((p) => p.value) ?? [];
    const args = [...node.params, ...hash];
    const callee = node.path;
    if (callee.type === "PathExpression") {
      const name = (callee as hbs.AST.PathExpression).original;
      const isHelper = args.length > 0 || block || HELPER_NAMES.has(name) || node.type === "SubExpression";
      if (isHelper && !(block ? BLOCK_HELPER_NAMES : HELPER_NAMES).has(name)) {
        facts.problems.push({ kind: "helper", message: `unknown helper "${name}"; allowed: ${[...(block ? BLOCK_HELPER_NAMES : HELPER_NAMES)].join(", ")}`, offset: at(callee) });
      } else if (!isHelper) {
        visitPath(callee as hbs.AST.PathExpression);
      }
    }
    args.forEach(visitExpression);
  };
  const notOdata = (node: Node): void => {
    if (facts.odataOnly) facts.odataOffset = at(node);
    facts.odataOnly = false;
  };
  const visitProgram = (body: hbs.AST.Statement[], topLevel: boolean): void => {
    for (const statement of body) {
      if (statement.type === "MustacheStatement") {
        const mustache = statement as hbs.AST.MustacheStatement;
        const callee = mustache.path as hbs.AST.PathExpression;
        if (topLevel && !(callee.original === "odata" && mustache.params.length > 0)) {
          if (mustache.path.type === "PathExpression") notOdata(mustache);
        }
        visitCall(mustache, false);
      } else if (statement.type === "BlockStatement") {
        const block = statement as hbs.AST.BlockStatement;
        notOdata(block);
        visitCall(block, true);
        visitProgram(block.program.body, false);
        if (block.inverse) visitProgram(block.inverse.body, false);
      } else if (statement.type === "PartialStatement" || statement.type === "PartialBlockStatement" || statement.type === "DecoratorBlock" || statement.type === "Decorator") {
        facts.problems.push({ kind: "syntax", message: "partials and decorators are not allowed", offset: at(statement) });
      }
    }
  };
  visitProgram(program.body, true);
  return facts;
}
