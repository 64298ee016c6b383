import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IntentError, lintPaths, loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

describe("catalog", () => {
  it("lints the shipped intents clean", () => {
    const dir = join(__dirname, "..", "..", "intents");
    const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && !/\.cases\./.test(name)).length;
    const libraries = readdirSync(join(dir, "shared")).filter((name) => /\.ya?ml$/.test(name)).length;
    expect(libraries).toBeGreaterThan(1);
    expect(lintPaths([dir], builtinKindSpecs())).toEqual({ diagnostics: [], files, policies: 0, libraries });
  });

  it("finds intents by name or alias ignoring case and runs of whitespace", () => {
    const catalog = loadCatalog(builtinKindSpecs());
    expect(catalog.supportedNames()).toEqual(expect.arrayContaining(["Add User to Group", "License Assignment", "MFA Reset", "New User Creation", "Password Reset", "Remove User from Group", "Shared Mailbox Permission", "User Offboarding"]));
    expect(catalog.find("  reset   PASSWORD ")?.name).toBe("Password Reset");
    expect(catalog.find("Add user to groups")).toBeUndefined();
  });

  it("compiles into a frozen plan with the intent's declared facts", () => {
    const intent = loadCatalog(builtinKindSpecs()).find("Password Reset");
    expect(intent?.permissions).toEqual({ graph: ["User.ReadWrite.All", "Mail.Send"], entraRoles: ["Helpdesk Administrator"], exchangeRoles: [] });
    expect(intent?.fields.map((f) => [f.variable, f.secret])).toEqual([["userEmail", false], ["tempPassword", true], ["forceChange", false]]);
    expect(Object.isFrozen(intent?.plan.steps)).toBe(true);
    expect(intent?.plan.steps.map((s) => s.handlesSecrets)).toEqual([true, true, true]);
  });

  it("throws one IntentError carrying every diagnostic when an intent is invalid", () => {
    const dir = mkdtempSync(join(tmpdir(), "cat-"));
    writeFileSync(join(dir, "bad.yaml"), "apiVersion: intents/v1\nkind: Intent\nname: X\n");
    let thrown: unknown;
    try {
      loadCatalog(builtinKindSpecs(), dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntentError);
    expect((thrown as IntentError).code).toBe("SPEC_SCHEMA");
    expect(((thrown as IntentError).details as unknown[]).length).toBeGreaterThanOrEqual(5);
  });
});
