/** The expression language: what each form means, what the linter learns from it, and that printing gives the same tree back. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { analyze, compileTree, HELPER_DEFINITIONS, parse, ParseError, type Expr, type Piece } from "../../engine/language/expression";
import { parseTemplate } from "../../engine/language/expression/parse";
import { printExpr, printPieces } from "../../engine/language/expression/print";

function render(source: string, scope: object, predicates: Record<string, string> = {}): unknown {
  const table = new Map(Object.entries(predicates).map(([name, text]) => [name, (parse(text).pieces[0] as { expr: Expr }).expr]));
  return compileTree(parse(source), table)(scope);
}

const groups = [
  { id: "a", displayName: "Sales", mailEnabled: true, groupTypes: ["Unified"], onPremisesSyncEnabled: null },
  { id: "b", displayName: "Staff DL", mailEnabled: true, groupTypes: [], onPremisesSyncEnabled: null },
  { id: "c", displayName: "All Users", mailEnabled: false, groupTypes: ["DynamicMembership"], onPremisesSyncEnabled: null },
  { id: "d", displayName: "HQ Access", mailEnabled: false, groupTypes: [], onPremisesSyncEnabled: true },
];
const predicates = {
  dynamic: "{{'DynamicMembership' in item.groupTypes}}",
  synced: "{{item.onPremisesSyncEnabled == true}}",
  exchangeManaged: "{{item.mailEnabled and 'Unified' not in item.groupTypes}}",
  graphManaged: "{{not (dynamic or synced or exchangeManaged)}}",
};

describe("expressions", () => {
  it("pipes pass the value on their left as the first argument", () => {
    expect(render("{{groups | pluck 'id' | join '+'}}", { groups })).toBe("a+b+c+d");
    expect(render("{{join (pluck groups 'id') '+'}}", { groups })).toBe("a+b+c+d");
    expect(render("{{groups | filter (item.mailEnabled) | length}}", { groups })).toBe(2);
  });

  it("named predicates test one item and may name each other", () => {
    expect(render("{{groups | filter graphManaged | pluck 'displayName'}}", { groups }, predicates)).toEqual(["Sales"]);
    expect(render("{{groups | filter exchangeManaged | reject dynamic | pluck 'id'}}", { groups }, predicates)).toEqual(["b"]);
    expect(render("{{groups | find synced}}", { groups }, predicates)).toEqual(groups[3]);
    expect(render("{{first groups | is dynamic}}", { groups }, predicates)).toBe(false);
    expect(render("{{groups | any dynamic}}", { groups }, predicates)).toBe(true);
    expect(render("{{groups | all dynamic}}", { groups }, predicates)).toBe(false);
    expect(render("{{none | all dynamic}}", { none: [] }, predicates)).toBe(true);
  });

  it("inside a test, item is the item under test, even in a for-each whose item is also called item", () => {
    expect(render("{{groups | filter (item.id == fields.want) | pluck 'id'}}", { groups, fields: { want: "c" }, item: { id: "a" } })).toEqual(["c"]);
    expect(render("{{item.id}}", { item: { id: "outer" } })).toBe("outer");
  });

  it("compares and combines with words and operators, loosest first: or, and, not, comparisons, pipes", () => {
    const scope = { a: 1, b: 2, s: "x", list: ["x"], t: true, f: false };
    expect(render("{{a < b and s == 'x'}}", scope)).toBe(true);
    expect(render("{{a <= 1 and b >= 3 or t}}", scope)).toBe(true);
    expect(render("{{not f and t}}", scope)).toBe(true);
    expect(render("{{not a == 1}}", scope)).toBe(false);
    expect(render("{{s in list and 'y' not in list}}", scope)).toBe(true);
    expect(render("{{list | length == 1}}", scope)).toBe(true);
    expect(render("{{'2' < 3}}", scope)).toBe(false);
    expect(render("{{a != 1 or missing.deep.path == null}}", scope)).toBe(false);
  });

  it("keeps Handlebars-style calls: the same templates render the same values", () => {
    const scope = { fields: { n: 3, s: "O'Brien", l: [{ id: 1 }, { id: 2 }], e: "" } };
    expect(render("{{eq fields.n 3}}", scope)).toBe(true);
    expect(render("{{and (eq fields.n 3) (not fields.e)}}", scope)).toBe(true);
    expect(render("{{or fields.e (ne fields.n 3)}}", scope)).toBe(false);
    expect(render("{{in 2 (pluck fields.l 'id')}}", scope)).toBe(true);
    expect(render("x eq {{odata fields.s}}", scope)).toBe("x eq 'O''Brien'");
    expect(render("{{lookup (first fields.l) 'id'}}", scope)).toBe(1);
    expect(render("{{fields.l.[1].id}}-{{fields.l.0.id}}", scope)).toBe("2-1");
    expect(render("{{first}}", scope)).toBeNull();
  });

  it("renders blocks: if, else if, else, unless, and trims around ~", () => {
    const t = "{{#if (eq n 1)}}one{{else if n == 2}}two{{else}}many{{/if}}";
    expect([1, 2, 3].map((n) => render(t, { n }))).toEqual(["one", "two", "many"]);
    expect(render("{{#unless ok}}no{{else}}yes{{/unless}}", { ok: [] })).toBe("no");
    expect(render("a  {{~x~}}  b", { x: 1 })).toBe("a1b");
    expect(render("\\{{x}} {{x}}", { x: 1 })).toBe("{{x}} 1");
  });

  it("keeps a lone expression's type; text renders null as nothing and refuses a path that leads nowhere", () => {
    expect(render("{{x}}", { x: [1] })).toEqual([1]);
    expect(render("{{x.y}}", { x: null })).toBeNull();
    expect(render("a{{x}}b", { x: null })).toBe("ab");
    expect(() => render("a{{x.y}}b", { x: {} })).toThrow(/"x.y" is not defined/);
    expect(render(" {{x}}", { x: 1 })).toBe(" 1");
  });

  it("never reaches a prototype", () => {
    expect(typeof render("{{fields.constructor}}", { fields: {} })).not.toBe("function");
    expect(render("{{lookup fields 'constructor'}}", { fields: {} })).toBeNull();
    expect(render("{{fields.__proto__}}", { fields: {} })).toBeNull();
    expect(() => render("x{{fields.constructor.name}}", { fields: {} })).toThrow();
  });

  it("refuses what is not the language, saying where", () => {
    const at = (source: string): [string, number] => {
      try {
        parse(source);
      } catch (thrown) {
        return [(thrown as ParseError).message, (thrown as ParseError).offset];
      }
      return ["parsed", -1];
    };
    expect(at("x {{fields.a")).toEqual(["{{ is not closed with }}", 2]);
    expect(at("{{#each l}}{{/each}}")[0]).toMatch(/the only blocks are \{\{#if\}\} and \{\{#unless\}\}/);
    expect(at("{{> partial}}")[0]).toMatch(/partials are not allowed/);
    expect(at("{{a == b == c}}")).toEqual(["comparisons do not chain; join them with and / or", 9]);
    expect(at("{{a | 'x'}}")[0]).toMatch(/after \| comes a helper name/);
    expect(at("{{#if a}}x")[0]).toMatch(/not closed with \{\{\/if\}\}/);
    expect(at("{{fields.a b}}")).toEqual(['unexpected "b"; expected an operator, | or }}', 11]);
    expect(at("{{(first x}}")[0]).toMatch(/expected \)/);
  });
});

describe("what the linter learns from a template", () => {
  it("references with their offsets, named predicates, and items under test left out", () => {
    const facts = analyze("{{#if steps.a.status == 'ok'}}{{l | filter dynamic | reject (item.x == fields.y)}}{{/if}}", { predicates: new Set(["dynamic"]) });
    expect(facts.references).toEqual([
      { parts: ["steps", "a", "status"], offset: 6 },
      { parts: ["l"], offset: 32 },
      { parts: ["fields", "y"], offset: 71 },
    ]);
    expect(facts.predicates).toEqual([{ name: "dynamic", offset: 43 }]);
    expect(facts.comparisons).toEqual([{ path: ["steps", "a", "status"], value: "ok", offset: 24 }]);
  });

  it("unknown helpers, wrong argument counts, unknown predicates", () => {
    const problems = (source: string): string[] => analyze(source).problems.map((p) => `${p.kind}@${p.offset}: ${p.message}`);
    expect(problems("{{shell run.ticketId}}")).toEqual([expect.stringMatching(/^helper@2: unknown helper "shell"; allowed: eq, ne/)]);
    expect(problems("{{join}}")).toEqual([expect.stringMatching(/^arguments@2: join takes 1 to 2 argument\(s\), 0 given: join values \[separator\]/)]);
    expect(problems("{{l | eq}}")).toEqual([expect.stringMatching(/eq takes 2 argument\(s\), 1 \(the piped value counts as the first\) given/)]);
    expect(problems("{{l | filter dynamic}}")).toEqual([expect.stringMatching(/^reference@13: no predicate is named "dynamic"; declared: none/)]);
    expect(problems("{{eq first 1}}")).toEqual([expect.stringMatching(/"first" is a helper, not a value/)]);
  });

  it("nesting depth counts calls inside calls, not pipeline stages", () => {
    expect(analyze("{{a | filter p | pluck 'id' | join ', '}}", { predicates: new Set(["p"]) }).depth).toBe(1);
    expect(analyze("{{join (pluck a 'id') ', '}}").depth).toBe(2);
    expect(analyze("{{whereNot (whereNot (where a 'b' true) 'c' 'd') 'e' 'f'}}").depth).toBe(3);
    expect(analyze("{{a == 1 and b}}").depth).toBe(0);
  });

  it("odata-only: every value an odata call, no blocks", () => {
    expect(analyze("a eq {{odata x}} and b eq {{x | odata}}").odataOnly).toBe(true);
    expect(analyze("a eq '{{x}}'")).toMatchObject({ odataOnly: false, odataOffset: 6 });
    expect(analyze("{{#if x}}{{odata x}}{{/if}}").odataOnly).toBe(false);
  });
});

/** Offsets aside, two trees are the same. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "at").map(([k, v]) => [k, shape(v)]));
  return value;
}

function templatesIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string" && value.includes("{{")) out.push(value);
  else if (value && typeof value === "object") for (const child of Object.values(value)) templatesIn(child, out);
  return out;
}

describe("printing", () => {
  it("gives every shipped template back as the same tree", () => {
    const dir = join(__dirname, "..", "..", "intents");
    const sources = readdirSync(dir).filter((f) => f.endsWith(".yaml")).flatMap((f) => templatesIn(parseYaml(readFileSync(join(dir, f), "utf8"))));
    expect(sources.length).toBeGreaterThan(100);
    for (const source of sources) {
      const tree = parseTemplate(source);
      expect(shape(parseTemplate(printPieces(tree.pieces)).pieces), source).toEqual(shape(tree.pieces));
    }
  });

  it("gives generated expressions back as the same tree", () => {
    const names = ["a", "b", "item"];
    const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom<string | number | boolean | null>("x", "it's", 0, 1.5, -2, true, null).map((value): Expr => ({ t: "literal", value, at: 0 })),
        fc.array(fc.constantFrom(...names, "0", "@odata.type", "not"), { minLength: 0, maxLength: 2 }).map((rest): Expr => ({ t: "path", parts: ["fields", ...rest], at: 0 })),
        fc.tuple(fc.constantFrom("and", "or"), tie("e"), tie("e")).map(([op, left, right]): Expr => ({ t: "logic", op: op as "and", left, right, at: 0 })),
        fc.tuple(fc.constantFrom("==", "<", "in", "not in"), tie("e"), tie("e")).map(([op, left, right]): Expr => ({ t: "compare", op: op as "==", left, right, at: 0 })),
        tie("e").map((operand): Expr => ({ t: "not", operand, at: 0 })),
        fc.tuple(fc.constantFrom("join", "lower", "first"), fc.boolean(), fc.array(tie("e"), { minLength: 1, maxLength: 2 })).map(
          ([name, piped, args]): Expr => ({ t: "call", name, piped, args, at: 0 }),
        ),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (e) => {
        // A comparison operand is never itself a comparison: the printer adds parentheses, which the tree does not record.
        const printed = printExpr(e);
        const pieces = parseTemplate(`{{${printed}}}`).pieces as Piece[];
        expect(shape((pieces[0] as { expr: Expr }).expr)).toEqual(shape(e));
      }),
      { numRuns: 500 },
    );
  });
});

describe("helper documentation", () => {
  it("every helper's example renders what its documentation says", () => {
    for (const helper of HELPER_DEFINITIONS) {
      expect(render(helper.example.template, helper.example.values), helper.name).toEqual(helper.example.result);
    }
  });
});
