/**
 * Template strings, parsed once at load and compiled once on first use; the hot path only calls
 * `render`. A string that is exactly one `{{…}}` keeps its value's type; anything else renders to
 * a string, and a string without `{{` is returned as it is.
 */
import Handlebars from "handlebars";
import { IntentError } from "../../core/errors";
import { analyzeTemplate } from "./analyze";
import { invoke, plainPieces, readPath, renderPieces } from "./fast-path";
import { parseTemplate } from "./parse";
import { unwrapPlaceholder } from "../../core/placeholder";
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
  // A triple-stash `{{{x}}}` only matters for escaping, which is off; it stays a text template.
  if (source.startsWith("{{{")) return undefined;
  const program = parseTemplate(source);
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

interface HandlebarsInternals {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): unknown };
  template(spec: unknown): Handlebars.TemplateDelegate;
}

/** What `Handlebars.compile` does on a template's first call, without its per-call wrapping. */
function generateCode(source: string): Handlebars.TemplateDelegate {
  const internals = env as unknown as HandlebarsInternals;
  const options = { ...compileOptions, data: true };
  const environment = new internals.Compiler().compile(env.parse(source), options);
  return internals.template(new internals.JavaScriptCompiler().compile(environment, options, undefined, true));
}

/**
 * Handlebars re-merges and re-wraps every helper and rebuilds its prototype-access guard on each
 * call, which costs more than the rendering itself. Helpers and options never change here, so the
 * runtime setup is built once and passed the way Handlebars passes it to partials. The wrapping
 * it skips only hands `lookupProperty` to helpers; ours never read it (our `lookup` is our own).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protoAccess = require("handlebars/dist/cjs/handlebars/internal/proto-access") as { createProtoAccessControl(options: object): unknown };
const preparedRuntime = {
  partial: true,
  helpers: env.helpers,
  partials: {},
  decorators: {},
  hooks: { helperMissing: env.helpers.helperMissing, blockHelperMissing: env.helpers.blockHelperMissing },
  protoAccessControl: protoAccess.createProtoAccessControl(runtimeOptions),
} as unknown as Handlebars.RuntimeOptions;

function bindPreparedRuntime(fn: Handlebars.TemplateDelegate): (scope: object) => string {
  return (scope) => fn(scope, preparedRuntime);
}

// Templates are pure and immutable, so one compiled copy serves every intent that repeats it.
const cache = new Map<string, Template>();

/**
 * Prepares once; throws IntentError SPEC_TEMPLATE_SYNTAX when the template does not parse. The
 * Handlebars code is generated on the first render.
 */
export function compileTemplate(source: string): Template {
  let template = cache.get(source);
  if (!template) cache.set(source, (template = compileUncached(source)));
  return template;
}

function compileUncached(source: string): Template {
  if (!source.includes("{{")) return Object.freeze({ source, lone: false, render: () => source });
  let lone: string | undefined;
  try {
    lone = loneExpression(source);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown);
    throw new IntentError("SPEC_TEMPLATE_SYNTAX", `Template does not parse: ${reason}`);
  }
  // What Handlebars' knownHelpersOnly would refuse when generating code is refused now, at load.
  const [problem] = analyzeTemplate(source).problems;
  if (problem) throw new IntentError("SPEC_TEMPLATE_SYNTAX", `Template "${source}" is refused: ${problem.message}`);
  const fast = fastRender(source, lone !== undefined);
  if (fast) return fast;
  // Code generation costs more than parsing and many templates (outcome messages) never render,
  // so each is generated on its first render, once; parse errors were already raised above.
  let compiled: ((scope: object) => string) | undefined;
  const viaHandlebars = (scope: object): string => (compiled ??= bindPreparedRuntime(generateCode(lone ?? source)))(scope);
  if (lone !== undefined) {
    const render = (scope: object): unknown => {
      captured = undefined;
      try {
        viaHandlebars(scope);
      } catch (thrown) {
        throw renderError(source, thrown);
      }
      return captured === undefined ? null : unwrapPlaceholder(captured);
    };
    return Object.freeze({ source, lone: true, render });
  }
  const render = (scope: object): unknown => {
    try {
      return viaHandlebars(scope);
    } catch (thrown) {
      throw renderError(source, thrown);
    }
  };
  return Object.freeze({ source, lone: false, render });
}

/** Text with `{{a.b}}` and helper interpolations, or one lone expression, rendered without Handlebars. */
function fastRender(source: string, lone: boolean): Template | undefined {
  const pieces = plainPieces(parseTemplate(source));
  if (!pieces) return undefined;
  const [only] = pieces;
  if (lone && pieces.length === 1 && only && !("text" in only)) {
    const render = (scope: object): unknown => {
      let value: unknown;
      try {
        value = "call" in only ? invoke(only.call, scope) : readPath(scope, only.path);
      } catch (thrown) {
        throw renderError(source, thrown);
      }
      return value === undefined ? null : unwrapPlaceholder(value);
    };
    return Object.freeze({ source, lone: true, render });
  }
  if (lone) return undefined;
  const render = (scope: object): unknown => {
    try {
      return renderPieces(pieces, scope);
    } catch (thrown) {
      throw renderError(source, thrown);
    }
  };
  return Object.freeze({ source, lone: false, render });
}
