import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

// Loaded as the shipped file, so the libraries beside it (intents/shared) are in reach.
const DEMO_FILE = join(__dirname, "../../intents/department-group-onboarding.yaml");
const DEMO = readFileSync(DEMO_FILE, "utf8");

function withTrigger(trigger: string): string {
  return `apiVersion: intents/v1
kind: Intent
name: T
description: d
risk: read
permissions: { graph: [User.Read.All] }
fields:
  userId: { label: User Id, type: string, required: true }
  note: { label: Note, type: string }
trigger:
${trigger}
steps:
  - id: read
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "{{fields.userId}}" } }
result:
  messages: { succeeded: done, failed: "no: {{error.message}}" }
`;
}

function codes(text: string): string[] {
  return loadIntentText(DEMO_FILE, text, { kinds: builtinKindSpecs() }).diagnostics.map((d) => `${d.code}@${d.line}`);
}

describe("intent trigger block", () => {
  it("compiles the demo trigger and reads exactly the properties its templates name", () => {
    const { intent, diagnostics } = loadIntentText(DEMO_FILE, DEMO, { kinds: builtinKindSpecs() });
    expect(diagnostics).toEqual([]);
    expect(intent?.trigger?.resource).toBe("users");
    expect(intent?.trigger?.changeTypes).toEqual(["created"]);
    expect(intent?.trigger?.select).toEqual(["id", "department", "userPrincipalName"]);
    const scope = { resource: { id: "u1", department: "IT", userPrincipalName: "a@b" }, constants: intent?.plan.constants, settings: {} };
    expect(intent?.trigger?.when?.render(scope)).toBe("72eba7ab-449c-5afe-9555-efd3244f4f24");
    expect(intent?.trigger?.when?.render({ ...scope, resource: { ...scope.resource, department: "Sales" } })).toBeNull();
  });

  it("accepts a well-formed trigger", () => {
    expect(codes(withTrigger(`  resource: users
  changeTypes: [updated, deleted]
  fields: { userId: "{{resource.id}}" }`))).toEqual([]);
  });

  it("reports an unmapped required field, an unknown field and roots a trigger cannot read, at their lines", () => {
    expect(codes(withTrigger(`  resource: users
  changeTypes: [created]
  when: "{{fields.note}}"
  fields:
    nope: "{{resource.id}}"
    note: "{{steps.read.output.x}}"`))).toEqual([
      "SPEC_UNKNOWN_REFERENCE@13", "SPEC_UNKNOWN_REFERENCE@15", "SPEC_UNKNOWN_REFERENCE@16", "SPEC_TRIGGER_INVALID@14",
    ]);
  });

  it("refuses unknown resources and change types through the schema", () => {
    expect(codes(withTrigger(`  resource: mail/messages
  changeTypes: [renamed]
  fields: { userId: "{{resource.id}}" }`))).toEqual(["SPEC_SCHEMA@11", "SPEC_SCHEMA@12"]);
  });

  it("keeps resource out of step templates", () => {
    const text = withTrigger(`  resource: users
  changeTypes: [created]
  fields: { userId: "{{resource.id}}" }`).replace('"{{fields.userId}}" }', '"{{resource.id}}" }');
    expect(codes(text)).toEqual(["SPEC_UNKNOWN_REFERENCE@17"]);
  });
});
