/**
 * Template strings, parsed and compiled once at load; the hot path only calls `render`. A string
 * that is exactly one `{{…}}` keeps its value's type; anything else renders to a string, and a
 * string without `{{` is returned as it is.
 */
import { IntentError } from "../../core/errors";
import { analyze, analyzeContext, compileTree, parse, ParseError, type PredicateTable } from "../expression";
import { unwrapPlaceholder } from "../../core/placeholder";

export interface Template {
  readonly source: string;
  /** True when the whole string is one expression, so rendering keeps the value's type. */
  readonly lone: boolean;
  render(scope: object): unknown;
}

function renderError(source: string, thrown: unknown): IntentError {
  // A refusal with its own code (a guarded secret read) keeps it.
  if (thrown instanceof IntentError) return thrown;
  const reason = thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown);
  return new IntentError("TEMPLATE_RENDER", `Template "${source}" could not be rendered: ${reason}`, { cause: thrown });
}

// Templates are pure and immutable, so one compiled copy serves every intent that repeats it
// (per table of named predicates, which give names their meaning).
const NO_PREDICATES: PredicateTable = new Map();
const caches = new WeakMap<PredicateTable, Map<string, Template>>();

/** Prepares once; throws IntentError SPEC_TEMPLATE_SYNTAX when the template does not parse or is refused. */
export function compileTemplate(source: string, predicates: PredicateTable = NO_PREDICATES): Template {
  let cache = caches.get(predicates);
  if (!cache) caches.set(predicates, (cache = new Map()));
  let template = cache.get(source);
  if (!template) cache.set(source, (template = compileUncached(source, predicates)));
  return template;
}

function compileUncached(source: string, predicates: PredicateTable): Template {
  if (!source.includes("{{")) return Object.freeze({ source, lone: false, render: () => source });
  let tree;
  try {
    tree = parse(source);
  } catch (thrown) {
    if (thrown instanceof ParseError) throw new IntentError("SPEC_TEMPLATE_SYNTAX", `Template "${source}" does not parse: ${thrown.message}`);
    throw thrown;
  }
  // What the linter reports is refused here too, so nothing unchecked ever renders.
  const [problem] = analyze(source, analyzeContext(predicates)).problems;
  if (problem) throw new IntentError("SPEC_TEMPLATE_SYNTAX", `Template "${source}" is refused: ${problem.message}`);
  const evaluate = compileTree(tree, predicates);
  if (tree.lone) {
    const render = (scope: object): unknown => {
      try {
        return unwrapPlaceholder(evaluate(scope));
      } catch (thrown) {
        throw renderError(source, thrown);
      }
    };
    return Object.freeze({ source, lone: true, render });
  }
  const render = (scope: object): unknown => {
    try {
      return evaluate(scope);
    } catch (thrown) {
      throw renderError(source, thrown);
    }
  };
  return Object.freeze({ source, lone: false, render });
}
