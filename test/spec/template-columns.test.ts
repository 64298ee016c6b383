/** Template diagnostics point at the bad reference inside the template text, not at the YAML value's start. */
import { describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/language/spec/load";
import { builtinKindSpecs } from "../../engine/kinds";

function intentWithStep(withLines: string): string {
  return `apiVersion: intents/v1
kind: Intent
name: Columns
description: test
risk: read
permissions: { graph: [User.Read.All] }
fields:
  userEmail: { label: User Email, type: string }
steps:
  - id: read
    kind: graph:request
    with:
      method: GET
      path: /users/{upn}
${withLines}
result:
  messages: { succeeded: done, failed: failed }
`;
}

function located(withLines: string): string[] {
  return loadIntentText("c.yaml", intentWithStep(withLines), { kinds: builtinKindSpecs() }).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`);
}

describe("template diagnostics", () => {
  it("point inside a plain scalar", () => {
    // The value starts at column 14; `fields.nope` starts 7 characters into it.
    expect(located(`      params:\n        upn: user-{{fields.nope}}-x`)).toEqual(["16:21 SPEC_UNKNOWN_REFERENCE"]);
  });

  it("point inside double- and single-quoted scalars, at each bad reference", () => {
    expect(located(`      params:\n        upn: "{{fields.userEmail}} {{fields.nope}} {{run.nope}}"`)).toEqual([
      "16:38 SPEC_UNKNOWN_REFERENCE",
      "16:54 SPEC_UNKNOWN_REFERENCE",
    ]);
    expect(located(`      params:\n        upn: '{{lower (shell fields.userEmail)}}'`)).toEqual(["16:24 SPEC_UNKNOWN_HELPER"]);
  });

  it("point at the line and column inside a literal block", () => {
    const block = `      params:\n        upn: |-\n          first line {{fields.userEmail}}\n          second {{steps.nope.status}}`;
    expect(located(block)).toEqual(["18:20 SPEC_UNKNOWN_REFERENCE"]);
  });

  it("fall back to the value's start where the text differs from the value (escapes)", () => {
    expect(located(`      params:\n        upn: "\\t{{fields.nope}}"`)).toEqual(["16:14 SPEC_UNKNOWN_REFERENCE"]);
  });
});
