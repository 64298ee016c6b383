/** `intents lint` checks literal Graph paths and bodies against the v1.0 metadata, at the offending key. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintPaths, loadCatalog } from "../../engine/index";
import { loadIntentText } from "../../engine/language/spec/load";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, startTestSandbox } from "../sandbox/helpers";
import { builtinKindSpecs } from "../../engine/kinds";

const dir = join(__dirname, "..", "fixtures", "graph-lint");

function lint(file: string): string[] {
  return lintPaths([join(dir, file)], builtinKindSpecs()).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
}

describe("Graph names in intents", () => {
  it("reports every misspelt body key at its own line and column, with a did-you-mean", () => {
    expect(lint("misspelt-body.yaml")).toEqual([
      '18:9 SPEC_GRAPH_UNKNOWN_PROPERTY "passwordProfle" is not a property of microsoft.graph.user; did you mean passwordProfile?',
      '30:11 SPEC_GRAPH_UNKNOWN_PROPERTY "forceChangePaswordNextSignIn" is not a property of microsoft.graph.passwordProfile; did you mean forceChangePasswordNextSignIn?',
      '31:9 SPEC_GRAPH_UNKNOWN_PROPERTY "jobTitel" is not a property of microsoft.graph.user; did you mean jobTitle?',
    ]);
  });

  it("points at the unknown segment inside the path (batch, list) and at an unknown action parameter (for-each)", () => {
    expect(lint("misspelt-paths.yaml")).toEqual([
      '21:36 SPEC_GRAPH_UNKNOWN_SEGMENT unknown Graph path segment "memebers" of microsoft.graph.group in /groups/{groupId}/memebers; did you mean members?',
      '28:14 SPEC_GRAPH_UNKNOWN_SEGMENT unknown Graph path segment "usrs" at the service root in /usrs; did you mean users?',
      '39:9 SPEC_GRAPH_UNKNOWN_PROPERTY "removeLicences" is not a parameter of the action assignLicense; did you mean removeLicenses?',
    ]);
  });

  it("skips templated values but still checks the literal keys around them", () => {
    const text = readFileSync(join(dir, "misspelt-body.yaml"), "utf8");
    const fixed = text
      .replace("passwordProfle:\n          password: \"{{fields.password}}\"", 'passwordProfile: "{{fields.password}}"')
      .replace("forceChangePaswordNextSignIn", "forceChangePasswordNextSignIn")
      .replace("jobTitel", "jobTitle");
    expect(loadIntentText("fixed.yaml", fixed, { kinds: builtinKindSpecs() }).diagnostics).toEqual([]);
    const templatedKeyValue = fixed.replace("jobTitle: Engineer", 'jobTitel: "{{fields.userEmail}}"');
    expect(loadIntentText("t.yaml", templatedKeyValue, { kinds: builtinKindSpecs() }).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(["30:9 SPEC_GRAPH_UNKNOWN_PROPERTY"]);
  });

  it("does not check the body of a request whose method is a template, nor a GET's", () => {
    const text = readFileSync(join(dir, "misspelt-body.yaml"), "utf8");
    const codes = (source: string) => loadIntentText("m.yaml", source, { kinds: builtinKindSpecs() }).diagnostics.map((d) => d.code);
    expect(codes(text.replace("method: PATCH", "method: GET"))).toEqual(["SPEC_GRAPH_UNKNOWN_PROPERTY", "SPEC_GRAPH_UNKNOWN_PROPERTY"]);
    expect(codes(text.replace(/method: PATCH/g, 'method: "{{fields.userEmail}}"'))).toEqual(["SPEC_STEP_INPUT", "SPEC_STEP_INPUT"]);
  });

  it("is left to lint by the runtime loader, which keeps every other check", () => {
    const misspelt = join(dir, "misspelt-body.yaml");
    const copy = mkdtempSync(join(tmpdir(), "graph-lint-"));
    try {
      copyFileSync(misspelt, join(copy, "misspelt-body.yaml"));
      expect(loadCatalog(builtinKindSpecs(), copy).intents.map((intent) => intent.name)).toHaveLength(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    const text = readFileSync(misspelt, "utf8");
    const runtime = (source: string) => loadIntentText("m.yaml", source, { kinds: builtinKindSpecs(), referenceChecks: false }).diagnostics.map((d) => d.code);
    expect(runtime(text)).toEqual([]);
    expect(runtime(text.replace(/method: PATCH/g, 'method: "{{fields.userEmail}}"'))).toEqual(["SPEC_STEP_INPUT", "SPEC_STEP_INPUT"]);
  });

  describe("the sandbox", () => {
    let sandbox: Sandbox;
    beforeAll(async () => (sandbox = await startTestSandbox()));
    afterAll(() => sandbox.close());

    it("refuses the same misspelt body with Graph's 400 and wording", async () => {
      const spec = parse(readFileSync(join(dir, "misspelt-body.yaml"), "utf8")) as { steps: Array<{ with: { body: { passwordProfle: { password: string } } } }> };
      const body = structuredClone(spec.steps[0]!.with.body);
      body.passwordProfle.password = "N3w!Passw0rd-xyz";
      const answer = await graph(sandbox, "PATCH", `/users/${DEMO.adele}`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toContain("Property 'passwordProfle' does not exist on type 'microsoft.graph.user'");
      const fixed = await graph(sandbox, "PATCH", `/users/${DEMO.adele}`, { passwordProfile: body.passwordProfle, accountEnabled: true });
      expect(fixed.status).toBe(204);
    });
  });
});
