/** An intent's `target:` and `policy:` keys: checked like the rest of the intent, compiled for the decision. */
import { describe, expect, it } from "vitest";
import intentSchema from "../../schemas/intent.schema.json";
import policySchema from "../../schemas/policy.schema.json";
import { loadIntentText } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const intent = (extra: string, fields = "  userEmail: { label: User Email, type: string, required: true }\n") => `apiVersion: intents/v1
kind: Intent
name: Probe
description: probe
risk: reversible
permissions: { graph: [User.Read.All] }
fields:
${fields}${extra}steps:
  - id: read
    kind: graph:request
    with:
      method: GET
      path: /users/{upn}
      params: { upn: "{{fields.userEmail}}" }
result:
  messages: { succeeded: done, failed: failed }
`;

describe("intent target and policy keys", () => {
  it("keeps the intent schema's rule equal to the policy file's", () => {
    const rename = (text: string) => text.replace(/#\/definitions\/policy(\w)/g, (_, c: string) => `#/definitions/${c.toLowerCase()}`);
    const defs = intentSchema.definitions as Record<string, unknown>;
    for (const [mine, theirs] of [["policyRule", "rule"], ["policyRequester", "requester"], ["policyGroupRef", "groupRef"], ["policyObjectId", "objectId"]] as const) {
      expect(JSON.parse(rename(JSON.stringify(defs[mine])))).toEqual((policySchema.definitions as Record<string, unknown>)[theirs]);
    }
  });

  it("compiles target to its field and the intent's own rule with its source", () => {
    const { intent: compiled, diagnostics } = loadIntentText("probe.yaml", intent("target: fields.userEmail\npolicy:\n  requesters: [self, { manager: max }, { group: ECB8A00C-2FFE-5F18-B13C-9DDAF44730D2 }]\n  otherwise: deny\n"), { kinds: builtinKindSpecs() });
    expect(diagnostics).toEqual([]);
    expect(compiled?.target).toBe("userEmail");
    expect(compiled?.policy).toMatchObject({
      requesters: [{ kind: "self" }, { kind: "manager", levels: Number.POSITIVE_INFINITY }, { kind: "group", id: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2" }],
      otherwise: "deny",
      source: 'intent "Probe" policy',
    });
    expect(loadIntentText("probe.yaml", intent("target: none\n"), { kinds: builtinKindSpecs() }).intent?.target).toBeUndefined();
  });

  it("refuses a target that is not a plain string field, and a bad rule, at their positions", () => {
    expect(loadIntentText("p.yaml", intent("target: fields.userMail\n"), { kinds: builtinKindSpecs() }).diagnostics).toEqual([
      expect.objectContaining({ code: "SPEC_UNKNOWN_REFERENCE", line: 9, col: 9, message: 'target names "userMail", which is not a declared field' }),
    ]);
    const secret = intent("target: fields.pass\n", "  userEmail: { label: User Email, type: string }\n  pass: { label: Pass, type: string, secret: true }\n");
    expect(loadIntentText("p.yaml", secret, { kinds: builtinKindSpecs() }).diagnostics).toEqual([expect.objectContaining({ code: "SPEC_SECRET_NOT_ALLOWED", line: 10, col: 9 })]);
    expect(loadIntentText("p.yaml", intent("target: userEmail\n"), { kinds: builtinKindSpecs() }).diagnostics).toEqual([expect.objectContaining({ code: "SPEC_SCHEMA", line: 9, col: 9 })]);
    expect(loadIntentText("p.yaml", intent("policy: { requesters: [everyone], otherwise: deny }\n"), { kinds: builtinKindSpecs() }).diagnostics).toEqual([
      expect.objectContaining({ code: "SPEC_SCHEMA", line: 9, col: 24, message: expect.stringMatching(/^policy\.requesters\.0 is not a requester/) }),
    ]);
  });
});
