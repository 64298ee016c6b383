/** A step output declared `{ value, secret: true }` is a secret like a kind's: masked, never saved, usable only where secrets are. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent, type StepCheckpoint } from "../../engine/index";
import { graphError, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "./services";
import { builtinKindSpecs } from "../../engine/kinds";

const PASS = "Tap-9f8e7d6c";

function intentText(extraSteps = "", messages = `    succeeded: "A pass for {{fields.who}} went to the helpdesk."`): string {
  return `apiVersion: intents/v1
kind: Intent
name: Secret Output Test
description: test
risk: reversible
permissions: { graph: [UserAuthenticationMethod.ReadWrite.All, User.ReadWrite.All, Mail.Send] }
settings: [HELPDESK_EMAIL, MAIL_SENDER]
fields:
  who: { label: Who, type: string }
steps:
  - id: create
    kind: graph:request
    with:
      method: POST
      path: /users/{upn}/authentication/temporaryAccessPassMethods
      params: { upn: "{{fields.who}}" }
      body: { lifetimeInMinutes: 60 }
    outputs:
      methodId: "{{response.body.id}}"
      pass: { value: "{{response.body.temporaryAccessPass}}", secret: true }
  - id: deliver
    kind: mail:send
    with:
      from: "{{settings.MAIL_SENDER}}"
      to: "{{settings.HELPDESK_EMAIL}}"
      subject: "Pass for {{fields.who}}"
      body: "Pass: {{steps.create.output.pass}}"
${extraSteps}result:
  messages:
${messages}
    failed: "failed: {{error.message}}"
`;
}

function compile(text: string): CompiledIntent {
  const loaded = loadIntentText("secret-output.yaml", text, { kinds: builtinKindSpecs() });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

let graph: LoopbackGraph;
beforeEach(async () => {
  graph = await startLoopbackGraph();
  graph.route("POST", "/users/:upn/authentication/temporaryAccessPassMethods", { status: 201, body: { id: "m-1", temporaryAccessPass: PASS } });
  graph.route("POST", "/users/:from/sendMail", { status: 202 });
});
afterEach(() => graph.close());

describe("secret step outputs at run time", () => {
  it("hands the value to a later mail body, keeps it out of the run record and events, and checkpoints it apart for sealing until delivered", async () => {
    const intent = compile(intentText());
    expect(intent.plan.steps[0]?.secretOutputs.has("pass")).toBe(true);
    expect(intent.plan.steps[0]?.handlesSecrets).toBe(true);
    const saved: Record<string, StepCheckpoint> = {};
    const writes: Array<[string, StepCheckpoint]> = [];
    const journal = { load: async () => ({}), save: async (id: string, c: StepCheckpoint) => void (saved[id] = c, writes.push([id, structuredClone(c)])) };
    const services = testServices(graph.client());
    const result = await execute(intent, { fields: { who: "jane@contoso.com" }, run: runContext(), services, journal });

    expect(result.status).toBe("succeeded");
    const mail = graph.received[1]?.body as { message: { body: { content: string } } };
    expect(mail.message.body.content).toBe(`Pass: ${PASS}`);
    const created = result.steps.find((s) => s.id === "create");
    expect(created?.outputs).toEqual({ methodId: "m-1", pass: "***" });
    expect(JSON.stringify({ result, events: services.eventLog })).not.toContain(PASS);
    // The pass went to the journal apart (the journal seals it) until the mail that reads it was
    // sent; then the step's checkpoint was saved again without it. Outputs and results stay masked.
    expect(writes.map(([id, c]) => [id, c.secrets ?? null])).toEqual([["create", { pass: PASS }], ["deliver", null], ["create", null]]);
    expect(saved.create?.outputs).toEqual({ methodId: "m-1" });
    expect(JSON.stringify(saved)).not.toContain(PASS);
  });

  it("masks the value when a later step's error echoes it", async () => {
    graph.route("PATCH", "/users/:upn", graphError(400, "Request_BadRequest", `Value ${PASS} is not accepted.`));
    const later = `  - id: echo
    kind: graph:request
    with:
      method: PATCH
      path: /users/{upn}
      params: { upn: "{{fields.who}}" }
      body: { jobTitle: "{{steps.create.output.pass}}" }
`;
    const services = testServices(graph.client());
    const result = await execute(compile(intentText(later)), { fields: { who: "jane@contoso.com" }, run: runContext(), services });
    // The pass was already created and delivered, so the run is partial rather than failed.
    expect(result.status).toBe("partial");
    expect(result.steps.find((s) => s.id === "echo")?.error?.message).toContain("Value *** is not accepted");
    expect(JSON.stringify({ result, events: services.eventLog })).not.toContain(PASS);
  });
});

describe("secret step outputs in lint", () => {
  it("rejects the value in a mail subject at its line and column", () => {
    const text = intentText().replace(`subject: "Pass for {{fields.who}}"`, `subject: "Pass {{steps.create.output.pass}}"`);
    const { diagnostics } = loadIntentText("misuse.yaml", text, { kinds: builtinKindSpecs() });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "SPEC_SECRET_NOT_ALLOWED", line: 26, col: 24, message: expect.stringMatching(/"steps\.create\.output\.pass" is a secret/) }),
    ]);
  });

  it("rejects the value in a later step's path and in the end-user message", () => {
    const later = `  - id: lookup
    kind: graph:request
    with:
      method: GET
      path: /users/{upn}
      params: { upn: "{{steps.create.output.pass}}" }
`;
    const text = intentText(later, `    succeeded: "Your pass is {{steps.create.output.pass}}"`);
    const found = loadIntentText("misuse.yaml", text, { kinds: builtinKindSpecs() }).diagnostics.map((d) => `${d.code}@${d.line}:${d.col}`);
    expect(found).toEqual(["SPEC_SECRET_NOT_ALLOWED@33:25", "SPEC_SECRET_NOT_ALLOWED@36:32"]);
  });

  it("keeps a non-secret declared output usable anywhere, and refuses an object output without a value", () => {
    const plain = intentText().replace(`subject: "Pass for {{fields.who}}"`, `subject: "Method {{steps.create.output.methodId}}"`);
    expect(loadIntentText("plain.yaml", plain, { kinds: builtinKindSpecs() }).diagnostics).toEqual([]);
    const noValue = intentText().replace(`pass: { value: "{{response.body.temporaryAccessPass}}", secret: true }`, "pass: { secret: true }");
    const codes = loadIntentText("no-value.yaml", noValue, { kinds: builtinKindSpecs() }).diagnostics.map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(["SPEC_SCHEMA"]));
  });
});
