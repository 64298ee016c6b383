/**
 * Secret settings at run time, over real HTTP: read from the host's reader, sent only where a step
 * takes a secret, masked everywhere else; and refused at run time too when a plan that lint never
 * saw tries to render one (or a credential) anywhere else.
 */
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { compileIntent } from "../../engine/language/spec/compile";
import type { IntentSpec } from "../../engine/language/spec/types";
import { startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices, type TestServices } from "./services";

const KEY = "pk_live_7f3a9c1e5b";
const ARM_TOKEN = "eyJarm.token-value.sig";

function intentText(mailBody = "Partner key: {{secrets.PARTNER_API_KEY}}", succeeded = "Sent to {{fields.who}}."): string {
  return `apiVersion: intents/v1
kind: Intent
name: Partner key
description: d
risk: reversible
permissions: { graph: [User.ReadWrite.All, Mail.Send] }
settings: [MAIL_SENDER]
secrets: [PARTNER_API_KEY]
fields:
  who: { label: Who, type: string }
steps:
  - id: tag
    kind: graph:request
    with:
      method: PATCH
      path: /users/{upn}
      params: { upn: "{{fields.who}}" }
      body: { aboutMe: "{{secrets.PARTNER_API_KEY}}" }
  - id: mail
    kind: mail:send
    with:
      from: "{{settings.MAIL_SENDER}}"
      to: "{{fields.who}}"
      subject: "Your key"
      body: "${mailBody}"
result:
  messages: { succeeded: "${succeeded}", failed: "Failed: {{error.message}}" }
`;
}

function load(text = intentText()): CompiledIntent {
  const loaded = loadIntentText("partner.yaml", text, { kinds: builtinKindSpecs(), referenceChecks: false });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

/** Compiled without lint, as a plan that bypassed `intents lint` would be. */
function unlinted(text: string): CompiledIntent {
  return compileIntent(parse(text) as IntentSpec, "unlinted.yaml", builtinKindSpecs());
}

let graph: LoopbackGraph;
beforeEach(async () => {
  graph = await startLoopbackGraph();
  graph.route("PATCH", "/users/:upn", { status: 204 });
  graph.route("POST", "/users/:from/sendMail", { status: 202 });
});
afterEach(() => graph.close());

function services(secrets: Record<string, string> = { PARTNER_API_KEY: KEY }): TestServices {
  const base = testServices(graph.client(), { ARM_ACCESS_TOKEN: ARM_TOKEN });
  return Object.assign(base, { secrets: { get: async (name: string) => secrets[name] } });
}

async function run(intent: CompiledIntent, using = services(), mode: "live" | "dry-run" = "live") {
  return execute(intent, { fields: { who: "jane@contoso.com" }, run: runContext(), services: using, mode });
}

describe("secret settings at run time", () => {
  it("sends the value only into the request and mail bodies, and masks it in everything the run reports", async () => {
    const using = services();
    const result = await run(load(), using);
    expect(result.status).toBe("succeeded");
    const [patch, mail] = graph.received;
    expect(patch?.body).toEqual({ aboutMe: KEY });
    expect((mail?.body as { message: { body: { content: string } } }).message.body.content).toBe(`Partner key: ${KEY}`);
    expect(JSON.stringify({ result, events: using.eventLog })).not.toContain(KEY);
  });

  it("plans with the value masked, and with a placeholder when the reader has none", async () => {
    const planned = await run(load(), services(), "dry-run");
    expect(JSON.stringify(planned)).not.toContain(KEY);
    expect(JSON.stringify(planned.steps[0]?.planned)).toContain("***");
    const placeholder = await run(load(), services({}), "dry-run");
    expect(JSON.stringify(placeholder.steps[0]?.planned)).toContain("<secrets.PARTNER_API_KEY>");
    expect(graph.received).toHaveLength(0);
  });

  it("fails a live run before anything is sent when a secret setting is missing or too short to mask", async () => {
    const missing = await run(load(), services({}));
    expect(missing.error).toEqual({ code: "CONFIG_MISSING", message: "Missing secret setting(s): PARTNER_API_KEY." });
    const told = Object.assign(services({}), { secrets: { get: async () => undefined, whereSet: (name: string) => `${name} as INTENT_SECRET_${name}` } });
    expect((await run(load(), told)).error?.message).toBe("Missing secret setting(s): PARTNER_API_KEY. Set PARTNER_API_KEY as INTENT_SECRET_PARTNER_API_KEY.");
    const short = await run(load(), services({ PARTNER_API_KEY: "pk_1" }));
    expect(short.error?.code).toBe("SECRET_REFUSED");
    expect(JSON.stringify(short)).not.toContain("pk_1");
    const noReader = await run(load(), testServices(graph.client()));
    expect(noReader.error?.code).toBe("CONFIG_MISSING");
    expect(graph.received).toHaveLength(0);
  });
});

describe("defence in depth: a plan that lint never saw", () => {
  it("never renders a secret setting into a message: the generic sentence is shown instead", async () => {
    const result = await run(unlinted(intentText(undefined, "Your key is {{secrets.PARTNER_API_KEY}}")));
    expect(result.status).toBe("succeeded");
    expect(result.message).toBe("Your request was completed.");
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it("fails a step that would put a secret setting into a path, a header, a condition or a body URL, and sends nothing of it", async () => {
    // No step takes the key where it may go, so none of it may reach Graph at all.
    const text = intentText("No key here.").replace(`aboutMe: "{{secrets.PARTNER_API_KEY}}"`, `aboutMe: "tagged"`);
    const places = [
      text.replace(`params: { upn: "{{fields.who}}" }`, `params: { upn: "{{secrets.PARTNER_API_KEY}}" }`),
      text.replace(`body: { aboutMe: "tagged" }`, `headers: { x-key: "{{secrets.PARTNER_API_KEY}}" }\n      body: { aboutMe: "tagged" }`),
      text.replace(`  - id: tag\n    kind: graph:request\n`, `  - id: tag\n    kind: graph:request\n    when: "{{secrets.PARTNER_API_KEY}}"\n`),
      text.replace(`body: { aboutMe: "tagged" }`, `body: { "manager@odata.bind": "https://graph.microsoft.com/v1.0/users/{{secrets.PARTNER_API_KEY}}" }`),
      text.replace(`subject: "Your key"`, `subject: "Your key {{secrets.PARTNER_API_KEY}}"`),
    ];
    expect(new Set(places).size).toBe(places.length);
    for (const place of places) {
      graph.received.length = 0;
      const result = await run(unlinted(place));
      const failed = result.steps.find((s) => s.status === "failed");
      expect(failed?.error).toMatchObject({ code: "SPEC_SECRET_NOT_ALLOWED", message: "A template read secrets.PARTNER_API_KEY where no secret may go; it was refused." });
      expect(JSON.stringify({ result, sent: graph.received })).not.toContain(KEY);
    }
  });

  it("never lets a template read a credential, even one the host holds in its settings", async () => {
    const asSetting = unlinted(intentText().replace("settings: [MAIL_SENDER]", "settings: [MAIL_SENDER, ARM_ACCESS_TOKEN]").replace("Sent to {{fields.who}}.", "{{settings.ARM_ACCESS_TOKEN}}"));
    const refused = await run(asSetting);
    expect(refused).toMatchObject({ status: "failed", error: { code: "SPEC_SECRET_NOT_ALLOWED", message: "No template may read ARM_ACCESS_TOKEN." } });
    const asSecret = unlinted(intentText().replace("secrets: [PARTNER_API_KEY]", "secrets: [PARTNER_API_KEY, GRAPH_ACCESS_TOKEN]"));
    const reader = services({ PARTNER_API_KEY: KEY, GRAPH_ACCESS_TOKEN: "graph-token-value" });
    expect((await run(asSecret, reader)).error?.code).toBe("SPEC_SECRET_NOT_ALLOWED");
    expect(JSON.stringify(refused)).not.toContain(ARM_TOKEN);
    expect(graph.received).toHaveLength(0);
  });
});
