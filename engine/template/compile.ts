/**
 * Precompiles template strings once at load; the hot path only calls `render`. A string that is
 * exactly one `{{…}}` keeps its value's type; anything else renders to a string.
 */
import Handlebars from "handlebars";
import { IntentError } from "../errors";
import { unwrapPlaceholder } from "./placeholder";
import { handlebarsHelpers, HELPER_NAMES, BLOCK_HELPER_NAMES } from "./helpers";

export interface Template {
  readonly source: string;
  /** True when the whole string is one expression, so rendering keeps the value's type. */
  readonly lone: boolean;
  render(scope: object): unknown;
}

const env = Handlebars.create();
// Rendering is synchronous, so one slot is enough to carry a lone expression's typed value out.
let captured: unknown;
env.registerHelper(handlebarsHelpers());
env.registerHelper("__value", (value: unknown) => {
  captured = value;
  return "";
});

const knownHelpers: Record<string, boolean> = { __value: true };
for (const name of [...HELPER_NAMES, ...BLOCK_HELPER_NAMES]) knownHelpers[name] = true;
const compileOptions = { strict: true, knownHelpersOnly: true, noEscape: true, knownHelpers } as const;
const runtimeOptions = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

/** The expression inside a lone `{{…}}`, rewritten so the `__value` helper receives its value. */
function loneExpression(source: string): string | undefined {
  if (!source.includes("{{")) return undefined;
  const program = env.parse(source);
  const [only] = program.body;
  if (program.body.length !== 1 || only?.type !== "MustacheStatement") return undefined;
  const inner = /^\{\{~?\s*([\s\S]*?)\s*~?\}\}$/.exec(source.trim())?.[1];
  if (inner === undefined || source.trim() !== source) return undefined;
  const mustache = only as hbs.AST.MustacheStatement;
  const isCall = mustache.params.length > 0 || mustache.hash !== undefined || HELPER_NAMES.has(inner);
  return isCall ? `{{__value (${inner})}}` : `{{__value ${inner}}}`;
}

function renderError(source: string, thrown: unknown): IntentError {
  const reason = thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown);
  return new IntentError("TEMPLATE_RENDER", `Template "${source}" could not be rendered: ${reason}`, { cause: thrown });
}

/** Compiles once; throws IntentError SPEC_TEMPLATE_SYNTAX when the template does not parse. */
export function compileTemplate(source: string): Template {
  let lone: string | undefined;
  let fn: Handlebars.TemplateDelegate;
  try {
    lone = loneExpression(source);
    fn = env.compile(lone ?? source, compileOptions);
    // Handlebars compiles lazily; force it now so syntax errors surface at load, not at run.
    env.precompile(lone ?? source, compileOptions);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown);
    throw new IntentError("SPEC_TEMPLATE_SYNTAX", `Template does not parse: ${reason}`);
  }
  if (lone !== undefined) {
    const render = (scope: object): unknown => {
      captured = undefined;
      try {
        fn(scope, runtimeOptions);
      } catch (thrown) {
        throw renderError(source, thrown);
      }
      return captured === undefined ? null : unwrapPlaceholder(captured);
    };
    return Object.freeze({ source, lone: true, render });
  }
  const render = (scope: object): unknown => {
    try {
      return fn(scope, runtimeOptions);
    } catch (thrown) {
      throw renderError(source, thrown);
    }
  };
  return Object.freeze({ source, lone: false, render });
}
