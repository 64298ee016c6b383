/**
 * Lint of the `secrets` root: a secret setting may only go where a step kind takes a secret, a
 * credential of the engine is reachable from no template at all, and a setting named as a secret
 * is never plain. Every refusal is located at the reference (or the declaration) that breaks it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_SETTINGS } from "../../engine/core/credentials";
import { SECRET_SETTINGS } from "../../engine/hosts/config";
import { lintPaths, loadIntentText } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const SECRET_REF = "{{secrets.PARTNER_API_KEY}}";

/** Every kind of template place in one intent; `place` gets the secret reference, the others a harmless one. */
function placesIntent(place: string): string {
  const at = (name: string, harmless = "{{fields.who}}") => (name === place ? SECRET_REF : harmless);
  return `apiVersion: intents/v1
kind: Intent
name: Secret places
description: d
risk: reversible
permissions: { graph: [User.ReadWrite.All, Mail.Send] }
settings: [MAIL_SENDER]
secrets: [PARTNER_API_KEY]
fields:
  who: { label: Who, type: string }
steps:
  - id: patch
    kind: graph:request
    when: "${at("when")}"
    with:
      method: PATCH
      path: /users/{upn}
      params: { upn: "${at("param")}" }
      query: { $select: "${at("query")}" }
      headers: { x-note: "${at("header")}" }
      body:
        aboutMe: "${at("body")}"
        "manager@odata.bind": "https://graph.microsoft.com/v1.0/users/${at("bodyUrl")}"
    outputs:
      id: "${at("output", "{{response.body.id}}")}"
    outcomes:
      - match: { status: 404 }
        result: failed
        error: { code: NOPE, message: "${at("outcome")}" }
  - id: mail
    kind: mail:send
    forEach: "${at("forEach")}"
    with:
      from: "{{settings.MAIL_SENDER}}"
      to: "${at("to")}"
      subject: "${at("subject")}"
      body: "Key ${at("mailBody")} for {{item}}"
result:
  messages: { succeeded: "${at("message")}", failed: "failed" }
  outputs: { x: "${at("resultOutput")}" }
  credential: "${at("credential")}"
`;
}

function lint(text: string) {
  return loadIntentText("places.yaml", text, { kinds: builtinKindSpecs(), referenceChecks: false }).diagnostics;
}

/** Line and column (1-based) of `needle` in `text`. */
function where(text: string, needle: string): { line: number; col: number } {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, col: (lines[line] ?? "").indexOf(needle) + 1 };
}

describe("the secrets root in lint", () => {
  it("is allowed where a step kind takes a secret: a request body and a mail body", () => {
    expect(lint(placesIntent("none"))).toEqual([]);
    expect(lint(placesIntent("body"))).toEqual([]);
    expect(lint(placesIntent("mailBody"))).toEqual([]);
  });

  const refused = ["when", "param", "query", "header", "bodyUrl", "output", "outcome", "forEach", "to", "subject", "message", "resultOutput", "credential"];
  for (const place of refused) {
    it(`is refused in ${place}, at the reference`, () => {
      const text = placesIntent(place);
      const { line, col } = where(text, "secrets.PARTNER_API_KEY");
      expect(lint(text)).toEqual([
        expect.objectContaining({ code: "SPEC_SECRET_NOT_ALLOWED", line, col, message: expect.stringMatching(/^"secrets\.PARTNER_API_KEY" is a secret setting; it may only go where a step kind takes a secret/) }),
      ]);
    });
  }

  it("knows only declared secret settings, and a trigger never reads them", () => {
    const undeclared = placesIntent("body").replace("secrets: [PARTNER_API_KEY]", "secrets: [OTHER_KEY]");
    expect(lint(undeclared)).toEqual([expect.objectContaining({ code: "SPEC_UNKNOWN_REFERENCE", message: expect.stringMatching(/secret setting "PARTNER_API_KEY" is not declared in secrets/) })]);
    const triggered = placesIntent("none").replace("steps:", `trigger:\n  resource: users\n  changeTypes: [created]\n  fields: { who: "${SECRET_REF}" }\nsteps:`);
    expect(lint(triggered)).toEqual([expect.objectContaining({ code: "SPEC_UNKNOWN_REFERENCE", message: expect.stringMatching(/a trigger reads only resource, settings and constants/) })]);
  });
});

describe("settings that are secret", () => {
  const withSettings = (settings: string, secrets = "[PARTNER_API_KEY]", message = "done") =>
    placesIntent("none").replace("settings: [MAIL_SENDER]", `settings: ${settings}`).replace("secrets: [PARTNER_API_KEY]", `secrets: ${secrets}`).replace(`succeeded: "{{fields.who}}"`, `succeeded: "${message}"`);

  it("no credential of the engine is reachable from any template: not as a setting, not as a secret", () => {
    for (const name of CREDENTIAL_SETTINGS) {
      for (const text of [
        withSettings(`[MAIL_SENDER, ${name}]`, "[PARTNER_API_KEY]", `{{settings.${name}}}`),
        withSettings("[MAIL_SENDER]", `[PARTNER_API_KEY, ${name}]`),
        withSettings("[MAIL_SENDER]", "[PARTNER_API_KEY]", `{{settings.${name}}}`),
      ]) {
        const loaded = loadIntentText("credential.yaml", text, { kinds: builtinKindSpecs(), referenceChecks: false });
        expect(loaded.intent, `${name} reachable`).toBeUndefined();
        expect(loaded.diagnostics.map((d) => d.code)).toEqual([expect.stringMatching(/^SPEC_(SECRET_NOT_ALLOWED|SCHEMA|UNKNOWN_REFERENCE)$/)]);
      }
    }
    // The engine's own secrets are credentials, whatever list they are read from.
    for (const name of SECRET_SETTINGS) expect(CREDENTIAL_SETTINGS.has(name)).toBe(true);
  });

  it("refuses a credential or a secret-named setting at its declaration", () => {
    const text = withSettings("[MAIL_SENDER, ARM_ACCESS_TOKEN, PARTNER_PASSWORD, PSA_PRIVATE_KEY]", "[PARTNER_API_KEY, GRAPH_ACCESS_TOKEN]");
    const found = lint(text).map((d) => `${d.line}:${d.col} ${d.message}`);
    expect(found).toEqual([
      `7:25 ARM_ACCESS_TOKEN is a credential of the engine: no template may read it`,
      `7:43 PARTNER_PASSWORD is named like a secret: declare it under secrets and use {{secrets.PARTNER_PASSWORD}} only where a step takes a secret`,
      `7:61 PSA_PRIVATE_KEY is named like a secret: declare it under secrets and use {{secrets.PSA_PRIVATE_KEY}} only where a step takes a secret`,
      `8:28 GRAPH_ACCESS_TOKEN is a credential of the engine: no template may read it, not even as a secret`,
    ]);
    expect(lint(withSettings("[MAIL_SENDER, PARTNER_API_KEY]"))).toEqual([expect.objectContaining({ message: "PARTNER_API_KEY is declared under secrets too: a secret setting is never plain text" })]);
  });

  it("refuses a setting that another intent of the catalogue declares secret, where it is declared", () => {
    const dir = mkdtempSync(join(tmpdir(), "lint-secrets-"));
    writeFileSync(join(dir, "a.yaml"), placesIntent("none").replace("secrets: [PARTNER_API_KEY]", "secrets: [PARTNER_PIN]"));
    writeFileSync(join(dir, "b.yaml"), placesIntent("none").replace("name: Secret places", "name: Other").replace("settings: [MAIL_SENDER]", "settings: [MAIL_SENDER, PARTNER_PIN]").replace("secrets: [PARTNER_API_KEY]\n", ""));
    const { diagnostics } = lintPaths([dir], builtinKindSpecs());
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: expect.stringMatching(/b\.yaml$/), line: 7, col: 25, code: "SPEC_SECRET_NOT_ALLOWED", message: expect.stringMatching(/^PARTNER_PIN is a secret setting \(declared under secrets in .*a\.yaml\)/) }),
    ]);
  });
});
