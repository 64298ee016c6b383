/** The case runner must catch every kind of difference it claims to check, or the cases prove nothing. */
import { describe, expect, it } from "vitest";
import { casesFileFor, runCase, type IntentCase } from "../../engine/tooling/cases";
import { loadCaseFile } from "../../engine/tooling/cases/load";
import { loadCatalog, type CompiledIntent } from "../../engine/index";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { builtinKindSpecs } from "../../engine/kinds";

const intent = loadCatalog(builtinKindSpecs()).find("Password Reset") as CompiledIntent;
const given = { "User Email": "adele.vance@contoso.com", "Temporary Password": "Given-Pass-123!", "Force Change on Login": "no" };

async function problems(expect: IntentCase["expect"], extra: Partial<IntentCase> = {}): Promise<string[]> {
  return (await runCase(intent, { name: "probe", fields: given, expect, ...extra })).outcome.problems;
}

describe("case runner", () => {
  it("passes a case whose every expectation holds", async () => {
    expect(
      await problems({
        status: "succeeded",
        steps: { password: "skipped", reset: "changed", deliver: "skipped" },
        requests: [{ method: "PATCH", path: "/users/adele.vance@contoso.com", body: { passwordProfile: { password: "***", forceChangePasswordNextSignIn: false } }, status: 204 }],
        state: { users: { "adele.vance@contoso.com": { passwordProfile: { forceChangePasswordNextSignIn: false } } }, sentMail: 0 },
      }),
    ).toEqual([]);
  });

  it("reports a wrong status, step, request body, extra request and state, each on its own line", async () => {
    const found = await problems({
      status: "failed",
      steps: { password: "skipped", reset: "ok", deliver: "skipped" },
      requests: [{ method: "PATCH", path: "/users/adele.vance@contoso.com", body: { passwordProfile: { password: "***", forceChangePasswordNextSignIn: true } } }, "GET /users"],
      state: { users: { "adele.vance@contoso.com": { accountEnabled: false } }, sentMail: 1 },
    });
    expect(found).toEqual([
      'status: expected "failed", got "succeeded"',
      'steps: expected {"password":"skipped","reset":"ok","deliver":"skipped"}, got {"password":"skipped","reset":"changed","deliver":"skipped"}',
      "requests: expected 2, sent 1: PATCH /users/adele.vance@contoso.com → 204",
      'requests[0].body: expected {"passwordProfile":{"password":"***","forceChangePasswordNextSignIn":true}}, got {"passwordProfile":{"password":"***","forceChangePasswordNextSignIn":false}}',
      "requests[1]: expected GET /users, nothing was sent",
      "state.users.adele.vance@contoso.com.accountEnabled: expected false, got true",
      "state.sentMail (count): expected 1, got 0",
    ]);
  });

  it("explains a failed case: the step that decided, its error, the request and answer that decided it (secrets masked)", async () => {
    const { outcome } = await runCase(intent, { name: "probe", fields: given, expect: { status: "succeeded", steps: { password: "skipped", reset: "changed", deliver: "skipped" } } });
    expect(outcome.explanation).toBeUndefined();
    // Asked by a Service Desk member: requester policy lets only group and address entries act on an account the tenant does not have.
    const failing = await runCase(intent, { name: "probe", requester: "megan.bowen@contoso.com", fields: { ...given, "User Email": "ghost@contoso.com" }, expect: { status: "succeeded" } });
    const lines = failing.outcome.explanation ?? [];
    expect(lines[0]).toMatch(/^decided at step reset \(graph:request, failed, 1 attempt\): USER_NOT_FOUND /);
    expect(lines[1]).toMatch(/^ {2}PATCH \/users\/ghost%40contoso\.com → 404 \{"error":\{"code":"Request_ResourceNotFound","message":/);
    expect(lines.join("\n")).not.toContain("Given-Pass-123!");
  });

  it("applies the case's faults: a 429 shows in the log and the retry waits on the injected clock only", async () => {
    const started = Date.now();
    const found = await problems(
      { status: "succeeded", requests: [{ method: "PATCH", path: "/users/adele.vance@contoso.com", status: 429 }, { method: "PATCH", path: "/users/adele.vance@contoso.com", status: 204 }] },
      { faults: [{ kind: "throttle", method: "PATCH", path: "/v1.0/users/*", times: 1, retryAfter: 30 }] },
    );
    expect(found).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("expects refused fields for invalid input, and fails a case whose fields were refused unexpectedly", async () => {
    const bad = { "User Email": "not-an-email" };
    expect((await runCase(intent, { name: "x", fields: bad, expect: { fieldErrors: [{ field: "userEmail" }] } })).outcome.problems).toEqual([]);
    const [problem] = (await runCase(intent, { name: "x", fields: bad, expect: { status: "succeeded" } })).outcome.problems;
    expect(problem).toMatch(/^the fields were refused: User Email: /);
  });

  it("refuses a case file that does not match the schema, naming the place", () => {
    const dir = mkdtempSync(join(tmpdir(), "cases-"));
    const path = join(dir, "bad.cases.yaml");
    writeFileSync(path, "intent: Password Reset\ncases:\n  - name: x\n    fields: {}\n    expect: { status: done }\n");
    expect(() => loadCaseFile(path)).toThrow(/\/cases\/0\/expect\/status must be equal to one of the allowed values/);
  });
});

describe("where an intent's cases live", () => {
  it("follows the intent's cases: key, else cases/<file>.cases.yaml beside it", () => {
    const dir = mkdtempSync(join(tmpdir(), "intents-"));
    cpSync(join(__dirname, "../../intents/shared"), join(dir, "shared"), { recursive: true });
    const text = readFileSync(join(__dirname, "../../intents/password-reset.yaml"), "utf8").replace(/\ncases: .*\n/, "\n");
    writeFileSync(join(dir, "password-reset.yaml"), `${text}\ncases: ./elsewhere/mine.cases.yaml\n`);
    writeFileSync(join(dir, "plain.yaml"), text.replace("name: Password Reset", "name: Plain Reset").replace("aliases: [Reset Password]", "aliases: []"));
    const catalog = loadCatalog(builtinKindSpecs(), dir);
    expect(casesFileFor(catalog.find("Password Reset") as CompiledIntent)).toBe(join(dir, "elsewhere", "mine.cases.yaml"));
    expect(casesFileFor(catalog.find("Plain Reset") as CompiledIntent)).toBe(join(dir, "cases", "plain.cases.yaml"));
  });
});
