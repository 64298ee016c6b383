/** `lt` / `gt`, added for seat checks: numbers only, so a missing count never passes a check. */
import { describe, expect, it } from "vitest";
import { compileTemplate } from "../../engine/language/template/compile";

const render = (template: string, fields: Record<string, unknown>): unknown => compileTemplate(template).render({ fields });

describe("lt and gt template helpers", () => {
  it("compare numbers", () => {
    expect(render("{{lt fields.a fields.b}}", { a: 4, b: 5 })).toBe(true);
    expect(render("{{lt fields.a fields.b}}", { a: 5, b: 5 })).toBe(false);
    expect(render("{{gt fields.a fields.b}}", { a: 6, b: 5 })).toBe(true);
    expect(render("{{gt fields.a fields.b}}", { a: 5, b: 5 })).toBe(false);
  });

  it("are false for anything that is not a number on both sides", () => {
    expect(render("{{lt fields.a fields.b}}", { a: null, b: 5 })).toBe(false);
    expect(render("{{lt fields.a fields.b}}", { a: "4", b: 5 })).toBe(false);
    expect(render("{{gt fields.a fields.b}}", { a: 6, b: "5" })).toBe(false);
  });
});

describe("split and mailNickname template helpers", () => {
  it("split a string; anything else is an empty list", () => {
    expect(render("{{split fields.s '@'}}", { s: "jo@contoso.com" })).toEqual(["jo", "contoso.com"]);
    expect(render("{{lookup (split fields.s '@') 1}}", { s: "jo@contoso.com" })).toBe("contoso.com");
    expect(render("{{split fields.s '@'}}", { s: null })).toEqual([]);
  });

  it("mailNickname keeps only what Exchange accepts in an alias", () => {
    expect(render("{{mailNickname fields.s}}", { s: "José O'Brien (Sales)" })).toBe("JoseOBrienSales");
    expect(render("{{mailNickname fields.s}}", { s: ".a..b@c. " })).toBe("a.bc");
    expect(render("{{mailNickname fields.s}}", { s: "x".repeat(70) })).toHaveLength(64);
    expect(render("{{mailNickname fields.s}}", { s: null })).toBe("");
  });
});

describe("whereIn template helper", () => {
  it("keeps the items whose key is in the list, in their order", () => {
    const items = [{ t: "a", n: 1 }, { t: "b", n: 2 }, { t: "c", n: 3 }, { n: 4 }];
    expect(render("{{pluck (whereIn fields.items 't' fields.allowed) 'n'}}", { items, allowed: ["c", "a"] })).toEqual([1, 3]);
    expect(render("{{whereIn fields.items 't' fields.allowed}}", { items, allowed: null })).toEqual([]);
  });
});

describe("whereNotIn template helper", () => {
  it("drops the items whose key is in the list", () => {
    const items = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(render("{{pluck (whereNotIn fields.items 'id' fields.out) 'id'}}", { items, out: ["b"] })).toEqual(["a", "c"]);
    expect(render("{{pluck (whereNotIn fields.items 'id' fields.out) 'id'}}", { items, out: null })).toEqual(["a", "b", "c"]);
  });
});
