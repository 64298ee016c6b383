/**
 * Graph body URLs (`@odata.id`, `…@odata.bind`) are typed slots: whatever a webhook value holds,
 * it stays one percent-encoded path segment of a URL on Graph's origin, or the step is refused with
 * TEMPLATE_URL_SEGMENT. Values go through the real load → compile → render path of an intent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntentError } from "../../engine/core/errors";
import { loadIntentText, type CompiledIntent } from "../../engine/index";
import { renderTree } from "../../engine/language/template/tree";
import { builtinKindSpecs } from "../../engine/kinds";

const GRAPH = "https://graph.microsoft.com/v1.0/";

function intentText(body: string, extra = ""): string {
  return `apiVersion: intents/v1
kind: Intent
name: URL slots
description: d
risk: reversible
permissions: { graph: [GroupMember.ReadWrite.All] }
fields:
  x: { label: X, type: string }
  pass: { label: Pass, type: string, secret: true }
steps:
  - id: write
    kind: graph:request
    with:
      method: POST
      path: /groups
      body:
${body}
${extra}result:
  messages: { succeeded: done, failed: failed }
`;
}

function load(body: string, extra = ""): ReturnType<typeof loadIntentText> {
  return loadIntentText("url-slots.yaml", intentText(body, extra), { kinds: builtinKindSpecs(), referenceChecks: false });
}

const slotted = load(`        displayName: "{{fields.x}}"
        "@odata.id": "${GRAPH}directoryObjects/{{fields.x}}"
        "members@odata.bind": ["${GRAPH}directoryObjects/{{fields.x}}", "${GRAPH}groups/{{lower fields.x}}/members/{{fields.x}}"]`).intent as CompiledIntent;

function render(value: unknown): Record<string, unknown> {
  const input = renderTree(slotted.plan.steps[0]!.with, { fields: { x: value } }) as { body: Record<string, unknown> };
  return input.body;
}

const pieces = ["../../users/x", "..", ".", "/", "\\", "?", "#", "%", "%2e", "%2e%2e", "%2F", "&", "=", ":", "@", "\r", "\n", "\r\n", " ", "\u0000", "\uD800", "\uDC00", "é", "😀", "{{", "}}", "users", "x", "1", "evil.com", "//evil.com", "https://evil.com/"];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(".", "..", "", "%2e%2e", ".%2e", "../../users/x"),
);

function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** The URL's path segments after the version, decoded; throws when the URL left Graph's origin or grew a query. */
function segmentsOf(url: unknown): string[] {
  const parsed = new URL(String(url));
  expect(parsed.href).toBe(url);
  expect(parsed.origin).toBe("https://graph.microsoft.com");
  expect(parsed.search).toBe("");
  expect(parsed.hash).toBe("");
  const [empty, version, ...rest] = parsed.pathname.split("/");
  expect([empty, version]).toEqual(["", "v1.0"]);
  return rest.map(decodeURIComponent);
}

describe("Graph body URL slots hold against hostile values", () => {
  it("keeps a value one encoded segment of a Graph URL, or refuses it with TEMPLATE_URL_SEGMENT", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        if (value === "" || value === "." || value === ".." || !wellFormed(value)) {
          const thrown = (() => {
            try {
              render(value);
            } catch (error) {
              return error;
            }
          })();
          expect(thrown).toBeInstanceOf(IntentError);
          expect(thrown).toMatchObject({ code: "TEMPLATE_URL_SEGMENT" });
          expect((thrown as Error).message).toMatch(/empty or a dot segment|not valid Unicode/);
          return;
        }
        const body = render(value);
        expect(body.displayName).toBe(value);
        expect(segmentsOf(body["@odata.id"])).toEqual(["directoryObjects", value]);
        const [first, second] = body["members@odata.bind"] as string[];
        expect(segmentsOf(first)).toEqual(["directoryObjects", value]);
        expect(segmentsOf(second)).toEqual(["groups", value.toLowerCase(), "members", value]);
      }),
      { numRuns: 1000 },
    );
  });

  it("encodes the classic escapes as one segment", () => {
    expect(render("../../users/x")["@odata.id"]).toBe(`${GRAPH}directoryObjects/..%2F..%2Fusers%2Fx`);
    expect(render("%2e%2e")["@odata.id"]).toBe(`${GRAPH}directoryObjects/%252e%252e`);
    expect(render("a?b#c")["@odata.id"]).toBe(`${GRAPH}directoryObjects/a%3Fb%23c`);
    expect(render("line\r\nbreak")["@odata.id"]).toBe(`${GRAPH}directoryObjects/line%0D%0Abreak`);
    expect(() => render("..")).toThrow(/A value for the URL "https:\/\/graph\.microsoft\.com\/v1\.0\/directoryObjects\/\{\{fields\.x\}\}" is empty or a dot segment/);
    expect(() => render(null)).toThrow(expect.objectContaining({ code: "TEMPLATE_URL_SEGMENT" }));
    expect(() => render({ id: "x" })).toThrow(expect.objectContaining({ code: "TEMPLATE_URL_SEGMENT" }));
    expect(render(42)["@odata.id"]).toBe(`${GRAPH}directoryObjects/42`);
  });
});

describe("lint of Graph body URL slots", () => {
  const problems = (body: string) => load(body).diagnostics.map((d) => `${d.code}@${d.line}:${d.col} ${d.message}`);

  it("accepts a URL written out from Graph's base with whole-segment values", () => {
    expect(load(`        "@odata.id": "${GRAPH}directoryObjects/{{fields.x}}"`).diagnostics).toEqual([]);
    expect(load(`        "manager@odata.bind": "${GRAPH}users/00000000-0000-0000-0000-000000000001"`).diagnostics).toEqual([]);
  });

  it("rejects a raw interpolation, another origin, a partial segment, a query and a block", () => {
    expect(problems(`        "@odata.id": "{{fields.x}}"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:23 a URL here must start with https:\/\/graph\.microsoft\.com\/v1\.0\//)]);
    expect(problems(`        "@odata.id": "https://evil.example/v1.0/users/x"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:23 a URL here must start with/)]);
    expect(problems(`        "@odata.id": "${GRAPH}users/id-{{fields.x}}"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:65 each value in a URL must fill one whole path segment/)]);
    expect(problems(`        "@odata.id": "${GRAPH}{{fields.x}}{{fields.x}}"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:56 each value/), expect.stringMatching(/^SPEC_URL_SLOT@17:68 each value/)]);
    expect(problems(`        "@odata.id": "${GRAPH}users/{{fields.x}}?$select=id"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:74 a URL here has no query/)]);
    expect(problems(`        "@odata.id": "${GRAPH}users/{{#if fields.x}}a{{/if}}"`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:62 a URL here takes plain/)]);
    expect(problems(`        "members@odata.bind": ["${GRAPH}users/ok", "{{fields.x}}"]`)).toEqual([expect.stringMatching(/^SPEC_URL_SLOT@17:78 a URL here must start with/)]);
  });

  it("keeps secrets out of a URL, though it sits in a body", () => {
    expect(problems(`        "@odata.id": "${GRAPH}users/{{fields.pass}}"`)).toEqual([expect.stringMatching(/^SPEC_SECRET_NOT_ALLOWED@17:64 "fields\.pass" is a secret/)]);
  });

  it("applies to each request of a graph:batch", () => {
    const text = intentText("", "").replace(
      `    kind: graph:request
    with:
      method: POST
      path: /groups
      body:
`,
      `    kind: graph:batch
    with:
      requests:
        add:
          method: POST
          path: /groups/00000000-0000-0000-0000-000000000001/members/$ref
          body: { "@odata.id": "{{fields.x}}" }
`,
    );
    const found = loadIntentText("batch.yaml", text, { kinds: builtinKindSpecs(), referenceChecks: false }).diagnostics;
    expect(found).toEqual([expect.objectContaining({ code: "SPEC_URL_SLOT", line: 18, path: "steps.0.with.requests.add.body.@odata.id" })]);
  });
});
