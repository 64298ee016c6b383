/** `adopt:` in lint: its requests are checked as the step's kind checks `with`, its condition reads `response`. */
import { describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const OPTIONS = { kinds: builtinKindSpecs() };

function intentText(adopt: string, extra = ""): string {
  return `apiVersion: intents/v1
kind: Intent
name: Adopt Lint Test
description: test
risk: reversible
permissions: { graph: [User.ReadWrite.All] }
fields:
  upn: { label: Email, type: string, required: true }
  secretNote: { label: Note, type: string, secret: true }
steps:
  - id: create
    kind: graph:request
${extra}    with:
      method: POST
      path: /users
      body: { userPrincipalName: "{{fields.upn}}" }
    outputs:
      userId: "{{response.body.id}}"
    adopt:
${adopt}
result:
  messages:
    succeeded: "done"
    failed: "failed: {{error.message}}"
`;
}

const GOOD = `      match: { status: 400, message: same value for property userPrincipalName }
      find:
        method: GET
        path: /users/{upn}
        params: { upn: "{{fields.upn}}" }
      ours: "{{(time response.body.createdDateTime) >= (time run.startedAt)}}"`;

const found = (text: string) => loadIntentText("adopt.yaml", text, OPTIONS).diagnostics.map((d) => `${d.code}@${d.line}:${d.col}`);

describe("adopt in lint", () => {
  it("accepts a find of the step's kind and a condition over its response, run.startedAt and time", () => {
    expect(loadIntentText("adopt.yaml", intentText(GOOD), OPTIONS).diagnostics).toEqual([]);
  });

  it("checks find as a request of the kind: unknown keys and a templated path, at their lines", () => {
    const text = intentText(GOOD.replace("path: /users/{upn}", 'path: "/users/{{fields.upn}}"').replace("        method: GET", "        method: GET\n        verb: GET"));
    expect(found(text)).toEqual(["SPEC_STEP_INPUT@23:9", "SPEC_STEP_INPUT@24:15"]);
  });

  it("refuses response in find (nothing has answered yet), unknown names in ours, and secrets anywhere in adopt", () => {
    const text = intentText(GOOD
      .replace('params: { upn: "{{fields.upn}}" }', 'params: { upn: "{{response.body.id}}" }')
      .replace("(time run.startedAt)", "(time run.beganAt)")
      .replace("(time run.beganAt)}}", "(time run.beganAt) and (fields.secretNote | length) > 0}}"));
    const codes = loadIntentText("adopt.yaml", text, OPTIONS).diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(["SPEC_UNKNOWN_REFERENCE", "SPEC_SECRET_NOT_ALLOWED"]));
    expect(codes.filter((c) => c === "SPEC_UNKNOWN_REFERENCE")).toHaveLength(2);
  });

  it("judges find and replace against the declared permissions like the step's own request", () => {
    const replace = `${GOOD}
      replace:
        method: DELETE
        path: /users/{id}/authentication/temporaryAccessPassMethods/{pass}
        params: { id: "{{response.body.id}}", pass: "{{response.body.id}}" }`;
    const missing = loadIntentText("adopt.yaml", intentText(replace), OPTIONS).diagnostics.filter((d) => d.code === "SPEC_PERMISSION_MISSING");
    expect(missing.map((d) => [d.path, d.line])).toEqual([["steps.0.adopt.replace.path", 28]]);
    expect(missing[0]!.message).toContain("UserAuthenticationMethod.ReadWrite.All");
  });

  it("refuses adopt on a for-each step, and an adopt without ours", () => {
    expect(found(intentText(GOOD, "    forEach: \"{{fields.upn}}\"\n"))).toContain("SPEC_STEP_INPUT@20:5");
    expect(loadIntentText("adopt.yaml", intentText(GOOD.split("\n").slice(0, -1).join("\n")), OPTIONS).diagnostics.map((d) => d.code)).toEqual(["SPEC_SCHEMA"]);
  });
});
