/**
 * Property tests: no webhook string can change the path segments, the query keys, the JSON shape
 * or the headers of a rendered request. Values go through the real compile → render → request path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toGraphRequest, type GraphRequestInput } from "../../engine/kinds/graph/input";
import { compileTree, renderTree } from "../../engine/language/template/tree";

const pieces = ["'", "''", '"', "/", "\\", "?", "#", "&", "=", "%", "%2e", "%2e%2e", "..", ".", "\r", "\n", "\r\n", "{{", "}}", "{", "}", "[", "]", ",", ":", "+", " ", "$", "é", "😀", "\u0000", "\uD800", "@odata.id", "__proto__", "a", "1"];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** URLSearchParams (like any UTF-8 encoder) turns a lone surrogate into U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function render(withTree: unknown, value: unknown): GraphRequestInput {
  return renderTree(compileTree(withTree), { fields: { x: value } }) as GraphRequestInput;
}

/** What the client does with a request: the base URL, the path, the query encoded whole. */
function toUrl(path: string, query: Record<string, string> = {}): URL {
  const search = new URLSearchParams(query).toString();
  return new URL(`https://graph.microsoft.com/v1.0${path}${search ? `?${search}` : ""}`);
}

describe("typed slots hold against hostile field values", () => {
  it("a path parameter is exactly one segment (dot segments and empty refused)", () => {
    const tree = { method: "GET", path: "/users/{upn}/memberOf", params: { upn: "{{fields.x}}" } };
    fc.assert(
      fc.property(hostile, (value) => {
        const rendered = render(tree, value);
        if (value === "" || value === "." || value === "..") {
          expect(() => toGraphRequest(rendered)).toThrow(/dot segment/);
          return;
        }
        if (wellFormed(value) !== value) {
          expect(() => toGraphRequest(rendered)).toThrow(/not valid Unicode/);
          return;
        }
        const url = toUrl(toGraphRequest(rendered).path);
        const segments = url.pathname.split("/");
        expect(segments).toHaveLength(5);
        expect(segments[2]).toBe("users");
        expect(segments[4]).toBe("memberOf");
        expect(decodeURIComponent(segments[3] ?? "")).toBe(value);
        expect(url.search).toBe("");
        expect(url.hash).toBe("");
      }),
      { numRuns: 500 },
    );
  });

  it("query keys never change and an OData literal keeps the value inside its quotes", () => {
    const tree = { method: "GET", path: "/groups", query: { $filter: "displayName eq {{odata fields.x}}", $select: "id,{{fields.x}}" } };
    fc.assert(
      fc.property(hostile, (value) => {
        const request = toGraphRequest(render(tree, value));
        const params = toUrl(request.path, request.query).searchParams;
        expect([...params.keys()]).toEqual(["$filter", "$select"]);
        const filter = params.get("$filter") ?? "";
        const literal = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
        expect(literal).not.toBeNull();
        expect(literal?.[1]?.replace(/''/g, "'")).toBe(wellFormed(value));
        expect(params.get("$select")).toBe(`id,${wellFormed(value)}`);
      }),
      { numRuns: 500 },
    );
  });

  it("a JSON body keeps its shape: the value is one leaf, never JSON text", () => {
    const tree = { method: "PATCH", path: "/users/me", body: { displayName: "{{fields.x}}", nested: { note: "by {{fields.x}}", list: ["{{fields.x}}"] } } };
    fc.assert(
      fc.property(hostile, (value) => {
        const sent = JSON.parse(JSON.stringify(toGraphRequest(render(tree, value)).body)) as Record<string, unknown>;
        expect(sent).toEqual({ displayName: value, nested: { note: `by ${value}`, list: [value] } });
      }),
      { numRuns: 500 },
    );
  });

  it("a header value with CR or LF is refused; any other value leaves the header set unchanged", () => {
    const tree = { method: "GET", path: "/me", headers: { ConsistencyLevel: "eventual", "x-note": "{{fields.x}}" } };
    fc.assert(
      fc.property(hostile, (value) => {
        const rendered = render(tree, value);
        if (/[\r\n]/.test(value)) {
          expect(() => toGraphRequest(rendered)).toThrow(/line break/);
          return;
        }
        expect(toGraphRequest(rendered).headers).toEqual({ ConsistencyLevel: "eventual", "x-note": value });
      }),
      { numRuns: 500 },
    );
  });

  it("a lone {{x}} keeps any JSON value's type and shape", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const rendered = renderTree(compileTree({ v: "{{fields.x}}" }), { fields: { x: value } }) as { v: unknown };
        expect(rendered.v).toStrictEqual(value === undefined ? null : value);
      }),
      { numRuns: 300 },
    );
  });
});
