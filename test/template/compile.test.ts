import { describe, expect, it } from "vitest";
import { compileTemplate } from "../../engine/language/template/compile";
import { analyzeTemplate } from "../../engine/language/template/analyze";

describe("templates", () => {
  it("renders text, and keeps the type of a lone expression", () => {
    expect(compileTemplate("Hi {{fields.n}}!").render({ fields: { n: 3 } })).toBe("Hi 3!");
    expect(compileTemplate("{{fields.n}}").render({ fields: { n: 3 } })).toBe(3);
    expect(compileTemplate("{{eq fields.n 3}}").render({ fields: { n: 3 } })).toBe(true);
    expect(compileTemplate("{{pluck fields.l 'id'}}").render({ fields: { l: [{ id: 1 }, { id: 2 }] } })).toEqual([1, 2]);
  });

  it("doubles quotes in odata literals and never escapes HTML", () => {
    expect(compileTemplate("x eq {{odata fields.s}}").render({ fields: { s: "O'Brien <b>" } })).toBe("x eq 'O''Brien <b>'");
  });

  it("throws TEMPLATE_RENDER for an unknown path (strict) instead of rendering an empty string", () => {
    expect(() => compileTemplate("Hi {{fields.missing}}").render({ fields: {} })).toThrow(expect.objectContaining({ code: "TEMPLATE_RENDER" }));
  });

  it("does not reach prototype properties", () => {
    const rendered = compileTemplate("{{fields.constructor}}").render({ fields: {} });
    expect(typeof rendered).not.toBe("function");
    expect(compileTemplate("{{lookup fields 'constructor'}}").render({ fields: {} })).toBeNull();
    expect(compileTemplate("{{lookup fields.list 1}}").render({ fields: { list: ["a", "b"] } })).toBe("b");
    expect(() => compileTemplate("x{{fields.constructor.name}}").render({ fields: {} })).toThrow(expect.objectContaining({ code: "TEMPLATE_RENDER" }));
    expect(compileTemplate("{{#if fields.ok}}yes{{else}}no{{/if}}").render({ fields: { ok: false } })).toBe("no");
  });

  it("refuses unknown helpers at compile time and reports syntax errors as SPEC_TEMPLATE_SYNTAX", () => {
    expect(() => compileTemplate("{{exec fields.x}}")).toThrow(expect.objectContaining({ code: "SPEC_TEMPLATE_SYNTAX" }));
    expect(() => compileTemplate("{{fields.x")).toThrow(expect.objectContaining({ code: "SPEC_TEMPLATE_SYNTAX" }));
  });

  it("analysis lists references, unknown helpers and non-odata interpolation", () => {
    const facts = analyzeTemplate("{{#if (eq steps.a.status 'ok')}}{{lower fields.name}}{{/if}} {{shell run.ticketId}}");
    expect(facts.references.map((r) => r.parts)).toEqual([["steps", "a", "status"], ["fields", "name"], ["run", "ticketId"]]);
    expect(facts.problems.map((p) => p.kind)).toEqual(["helper"]);
    expect(analyzeTemplate("a eq {{odata fields.x}}").odataOnly).toBe(true);
    expect(analyzeTemplate("a eq '{{fields.x}}'").odataOnly).toBe(false);
    expect(analyzeTemplate("{{this}} {{@root.y}}").problems).toHaveLength(2);
  });
});
