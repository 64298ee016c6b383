/** The policy file is linted like an intent: schema, then meaning, every problem at file:line:col. */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import * as lint from "../../engine/hosts/cli/commands/lint";
import { lintPaths } from "../../engine/language/spec/catalog";
import { loadDeploymentPolicy, loadPolicyText } from "../../engine/language/policy/load";
import { DEMO_POLICY_PATH } from "../../sandbox";
import { captured } from "../support/capture-output";
import { builtinKindSpecs } from "../../engine/kinds";

const root = join(__dirname, "..", "..");
const fixtures = join(__dirname, "..", "fixtures", "policy");
const shown = (name: string) => relative(process.cwd(), join(fixtures, name));

function located(paths: string[]): string[] {
  return lintPaths(paths, builtinKindSpecs()).diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
}

describe("policy file lint", () => {
  it("reports schema problems at their line and column, one sentence per bad requester", () => {
    expect(located([join(fixtures, "broken-schema.yaml")])).toEqual([
      `${shown("broken-schema.yaml")}:7:3 POLICY_SCHEMA unknown key "everything" in rules; allowed: read, reversible, destructive`,
      `${shown("broken-schema.yaml")}:5:24 POLICY_SCHEMA rules.reversible.requesters.1 is not a requester: use self, manager, anyone, {manager: N or max}, {group: <object id>} or {address: <email>}`,
      `${shown("broken-schema.yaml")}:6:16 POLICY_SCHEMA rules.reversible.otherwise must be one of: deny, approve`,
      expect.stringMatching(new RegExp(`^${shown("broken-schema.yaml")}:11:21 POLICY_SCHEMA protected\\.groups\\.0\\.group must match`)),
    ]);
  });

  it("checks per-intent rules against the intents linted with it, and refuses to exempt Global Administrator", () => {
    const lines = located([join(root, "intents"), join(fixtures, "broken-meaning.yaml")]);
    expect(lines).toEqual([
      `${shown("broken-meaning.yaml")}:7:3 POLICY_INVALID "Reset Password" and "Password Reset" are the same intent`,
      `${shown("broken-meaning.yaml")}:10:3 POLICY_INVALID intents names "Launch Rockets", which is not an intent's name or alias`,
      `${shown("broken-meaning.yaml")}:18:17 POLICY_INVALID Global Administrator holders are always protected; this role cannot be exempted`,
      `${shown("broken-meaning.yaml")}:16:12 POLICY_INVALID admit: unknown has no effect without an {address: …} requester (nothing else can match someone who is not in the tenant)`,
    ]);
  });

  it("reports YAML syntax at its position", () => {
    expect(located([join(fixtures, "broken-yaml.yaml")])).toEqual([expect.stringMatching(new RegExp(`^${shown("broken-yaml.yaml")}:5:1 SPEC_YAML_SYNTAX `))]);
  });

  it("lints the policy.yaml beside a linted intents folder, and exits 1 from the CLI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-lint-"));
    cpSync(join(root, "intents"), join(dir, "intents"), { recursive: true });
    writeFileSync(join(dir, "policy.yaml"), "apiVersion: intents/v1\nkind: Policy\nintents:\n  Launch Rockets: { requesters: [anyone], otherwise: deny }\n");
    const { code, out, err } = await captured(() => lint.run([join(dir, "intents")]));
    expect(code).toBe(1);
    expect(out).toMatch(/policy\.yaml:4:3 POLICY_INVALID intents names "Launch Rockets"/);
    expect(err).toMatch(/intent file\(s\), \d+ librar(?:y|ies) and 1 policy file\(s\) checked, 1 problem\(s\)/);
  });

  it("passes a valid file, resolving an alias to its intent, and the demo deployment's file", async () => {
    expect(located([join(root, "intents"), join(fixtures, "valid.yaml")])).toEqual([]);
    expect(located([join(root, "intents"), DEMO_POLICY_PATH])).toEqual([]);
    const { policy } = loadPolicyText("valid.yaml", "apiVersion: intents/v1\nkind: Policy\nintents:\n  reset   PASSWORD: { requesters: [self], otherwise: deny }\n", { resolveIntent: (name) => (name.toLowerCase().includes("password") ? "Password Reset" : undefined) });
    expect(policy?.intents.get("password reset")?.source).toBe('valid.yaml intents["reset   PASSWORD"]');
  });
});

describe("loading the deployment policy", () => {
  it("uses the built-in rules when the default file is absent, and refuses a POLICY_FILE that is", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "policy-")), "policy.yaml");
    const builtIn = loadDeploymentPolicy(missing, false, { authorisedGroup: "ECB8A00C-2FFE-5F18-B13C-9DDAF44730D2" });
    expect(builtIn.file).toBeUndefined();
    expect(builtIn.rules.reversible.requesters).toEqual([{ kind: "self" }, { kind: "manager", levels: 1 }]);
    expect(builtIn.rules.destructive.requesters).toEqual([{ kind: "group", id: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2", name: "AUTHORISED_REQUESTERS_GROUP" }]);
    expect(() => loadDeploymentPolicy(missing, true)).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
  });

  it("stops on an invalid file with every problem located", () => {
    expect(() => loadDeploymentPolicy(join(fixtures, "broken-schema.yaml"), true)).toThrow(
      expect.objectContaining({ code: "POLICY_SCHEMA", message: expect.stringMatching(/4 problem\(s\) in the policy file:\n.*broken-schema\.yaml:7:3 POLICY_SCHEMA/) }),
    );
  });
});
