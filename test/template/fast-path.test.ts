/**
 * The fast path (templates of text, paths and helper calls rendered without Handlebars' runtime)
 * must answer exactly what Handlebars answers with our options: same values, texts and errors.
 */
import fc from "fast-check";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { compileTemplate } from "../../engine/language/template/compile";
import { BLOCK_HELPER_NAMES, handlebarsHelpers, HELPER_NAMES } from "../../engine/language/template/helpers";
import { placeholder } from "../../engine/core/placeholder";

const knownHelpers: Record<string, boolean> = { __value: true };
for (const name of [...HELPER_NAMES, ...BLOCK_HELPER_NAMES]) knownHelpers[name] = true;
const options = { strict: true, knownHelpersOnly: true, noEscape: true, knownHelpers } as const;
const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

const env = Handlebars.create();
let captured: unknown;
env.registerHelper(handlebarsHelpers());
env.registerHelper("__value", (value: unknown) => ((captured = value), ""));
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** What Handlebars itself renders: text as is, a lone expression through a capturing helper. */
function reference(source: string, scope: object): { value?: unknown; error?: string } {
  const lone = /^\{\{([^{}]+)\}\}$/.exec(source)?.[1];
  let template = compiled.get(source);
  // A lone helper call is captured as a sub-expression, a lone path as the helper's argument.
  const isCall = lone !== undefined && (/\s/.test(lone) || HELPER_NAMES.has(lone));
  const wrapped = lone === undefined ? source : isCall ? `{{__value (${lone})}}` : `{{__value ${lone}}}`;
  if (!template) compiled.set(source, (template = env.compile(wrapped, options)));
  captured = undefined;
  try {
    const text = template(scope, runtime);
    return { value: lone ? (captured === undefined ? null : captured) : text };
  } catch (thrown) {
    return { error: `Template "${source}" could not be rendered: ${(thrown as Error).message.split("\n")[0]}` };
  }
}

function ours(source: string, scope: object): { value?: unknown; error?: string } {
  try {
    return { value: compileTemplate(source).render(scope) };
  } catch (thrown) {
    return { error: (thrown as Error).message };
  }
}

const TEMPLATES = [
  "{{a}}", "{{a.b}}", "{{a.b.c}}", "{{a.[0]}}", "{{a.length}}", "{{a.constructor}}", "x {{a.b}} y {{c}}!", "{{a.b}}{{a.c}}", "[{{a.[0].b}}]", "x  {{~a.b~}}  y",
  "{{eq a.b 'x'}}", "{{first a}}", "{{lookup (first a) 'b'}}", "n {{lower a.b}} {{length a}}", "{{default a.b 'd'}}", "{{not a}}",
  "{{and a b c}}", "{{concat a.b '-' c 1 true null}}", "{{in a.b c}}", "{{odata a.b}}", "{{join a ', '}}", "{{pluck a 'b'}}",
  "{{where a 'b' 1}}", "{{first}}", "x{{upper (concat a.b c)}}y{{trim a}}"];

const inherited = Object.create({ b: "from the prototype" }) as object;
const leaf = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(inherited), fc.constant(Object.create(null) as object));
const key = fc.constantFrom("a", "b", "c", "0", "length");
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(key, tie("node"), { maxKeys: 3 }),
  array: fc.array(tie("node"), { maxLength: 2 }),
})).node;
const scope = fc.dictionary(key, value, { maxKeys: 3 });

describe("template fast path", () => {
  it("renders, types and fails exactly like Handlebars", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), scope, (source, data) => {
        expect(ours(source, data)).toEqual(reference(source, data));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps an offline plan's placeholders", () => {
    const scopeWithPlaceholder = { steps: { lookup: { output: placeholder("steps.lookup.output") } } };
    expect(compileTemplate("{{steps.lookup.output.userId}}").render(scopeWithPlaceholder)).toBe("<steps.lookup.output.userId>");
    expect(compileTemplate("id {{steps.lookup.output.userId}}").render(scopeWithPlaceholder)).toBe("id <steps.lookup.output.userId>");
  });
});
