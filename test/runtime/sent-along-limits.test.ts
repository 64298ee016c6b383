/**
 * Which write carries the delivery after it in its `$batch` (engine/runtime/sent-along.ts): any
 * intent's, not only Password Reset's, and only where the run records what it would have step by
 * step. Over real HTTP against a scripted Graph that answers `dependsOn` as Graph does.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { graphError, startLoopbackGraph, type Answer, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "./services";

const PASS = "Given-Pass-123!";

/** A write of the given password, then its delivery; `write` and `deliver` add lines to each step. */
function intent(write = "", deliver = ""): CompiledIntent {
  const text = `apiVersion: intents/v1
kind: Intent
name: Sent Along Test
description: test
risk: reversible
permissions: { graph: [User.ReadWrite.All, Mail.Send] }
settings: [HELPDESK_EMAIL, MAIL_SENDER]
fields:
  who: { label: Who, type: string }
  pass: { label: Pass, type: string, secret: true }
steps:
  - id: write
    kind: graph:request
    with:
      method: PATCH
      path: /users/{upn}
      params: { upn: "{{fields.who}}" }
      body: { passwordProfile: { password: "{{fields.pass}}" } }
${write}
  - id: deliver
    kind: mail:send
${deliver}
    with:
      from: "{{settings.MAIL_SENDER}}"
      to: "{{settings.HELPDESK_EMAIL}}"
      subject: "Pass for {{fields.who}}"
      body: "Pass: {{fields.pass}}"
result:
  messages:
    succeeded: done
    failed: "failed: {{error.message}}"
`;
  const loaded = loadIntentText("sent-along.yaml", text, { kinds: builtinKindSpecs() });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

let graph: LoopbackGraph;
let patchAnswer: Answer;
beforeEach(async () => {
  graph = await startLoopbackGraph();
  patchAnswer = { status: 204 };
  graph.route("PATCH", "/users/:upn", () => patchAnswer);
  graph.route("POST", "/users/:from/sendMail", { status: 202 });
});
afterEach(() => graph.close());

async function run(compiled: CompiledIntent, mode: "live" | "dry-run" = "live") {
  const services = testServices(graph.client());
  const result = await execute(compiled, { fields: { who: "jane@contoso.com", pass: PASS }, run: runContext(), services, mode });
  return { result, sent: graph.received.map((r) => `${r.method} ${r.segments.at(-1)}${r.viaBatch ? " (batched)" : ""}`), services };
}

describe("a delivery sent along with its write", () => {
  it("goes along for any intent's write and delivery: one $batch, the record as step by step", async () => {
    const { result, sent, services } = await run(intent());
    expect(result.status).toBe("succeeded");
    expect(sent).toEqual(["PATCH jane@contoso.com (batched)", "POST sendMail (batched)"]);
    expect(result.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([["write", "changed", 1], ["deliver", "changed", 1]]);
    expect(services.eventLog.filter((e) => e.event === "step.finished").map((e) => e.fields.stepId)).toEqual(["write", "deliver"]);
    expect(JSON.stringify({ result, events: services.eventLog })).not.toContain(PASS);
  });

  it("a write Graph refuses keeps its delivery unsent (424) and the run stops there as before", async () => {
    patchAnswer = graphError(403, "Authorization_RequestDenied", "Insufficient privileges.");
    const { result, sent } = await run(intent());
    expect(result.status).toBe("failed");
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([["write", "failed"]]);
    expect(sent).toEqual(["PATCH jane@contoso.com (batched)"]);
  });

  it("a write that continues on error and fails leaves its delivery to run on its own, as it did", async () => {
    patchAnswer = graphError(403, "Authorization_RequestDenied", "Insufficient privileges.");
    const { result, sent } = await run(intent("    continueOnError: true"));
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([["write", "failed"], ["deliver", "changed"]]);
    expect(sent).toEqual(["PATCH jane@contoso.com (batched)", "POST sendMail"]);
  });

  it.each([
    ["the delivery's condition reads the write's status", "", `    when: "{{steps.write.status != 'failed'}}"`],
    ["the write renders outputs from its answer", "    outputs: { at: '{{response.status}}' }", ""],
    ["an outcome rule could fail the write's success", `    outcomes: [{ when: "{{response.body == null}}", result: failed }]`, ""],
    ["an outcome rule reads the answer after another test", `    outcomes: [{ when: "{{fields.who != '' and response.status == 404}}", result: failed }]`, ""],
    ["the write has its own retry settings", "    retry: { maxAttempts: 2 }", ""],
    ["the delivery loops", "", `    forEach: "{{split fields.who ','}}"`],
  ])("is not sent along when %s", async (_why, write, deliver) => {
    const { sent } = await run(intent(write, deliver));
    expect(sent.filter((line) => line.endsWith("(batched)"))).toEqual([]);
    expect(sent[0]).toBe("PATCH jane@contoso.com");
  });

  it("is sent along when the write's failure rules test an error status first", async () => {
    const { sent } = await run(intent(`    outcomes: [{ when: "{{response.status == 404 and fields.who != ''}}", result: failed }, { match: { status: 400 }, result: failed }]`));
    expect(sent).toEqual(["PATCH jane@contoso.com (batched)", "POST sendMail (batched)"]);
  });

  it("a dry run sends nothing", async () => {
    const { result, sent } = await run(intent(), "dry-run");
    expect(sent).toEqual([]);
    expect(result.steps.map((s) => s.status)).toEqual(["skipped", "skipped"]);
  });
});
