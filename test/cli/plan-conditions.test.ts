/**
 * An offline plan cannot decide a `when` that reads what only the tenant would answer: such a step
 * is planned (as though its condition held) and says on what it depends, instead of showing as
 * skipped; a condition that is decided without the tenant still skips its step.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../../engine/hosts/cli/commands/plan";

const INTENT = `apiVersion: intents/v1
kind: Intent
name: Enable Account
description: Turns sign-in back on for a user; an enabled account is left alone.
risk: reversible
target: fields.userEmail
permissions:
  graph: [User.ReadWrite.All, Mail.Send]
settings: [EXCHANGE_MODE]
fields:
  userEmail: { label: User Email, type: string, required: true, format: email }
  notify: { label: Notify, type: boolean, default: false }
steps:
  - id: lookup
    kind: graph:request
    with: { use: userByEmail, inputs: { email: "{{fields.userEmail}}", select: "id,accountEnabled" } }
    outputs:
      userId: "{{response.body.id}}"
      enabled: "{{response.body.accountEnabled}}"
    outcomes:
      - { use: userNotFound, inputs: { email: "{{fields.userEmail}}" } }
  - id: enable
    kind: graph:request
    when: "{{not steps.lookup.output.enabled}}"
    with:
      method: PATCH
      path: /users/{id}
      params: { id: "{{steps.lookup.output.userId}}" }
      body: { accountEnabled: true }
  - id: enableByRunbook
    kind: graph:request
    when: "{{settings.EXCHANGE_MODE == 'runbook' and not steps.lookup.output.enabled}}"
    with:
      method: PATCH
      path: /users/{id}
      params: { id: "{{steps.lookup.output.userId}}" }
      body: { accountEnabled: true }
  - id: notify
    kind: mail:send
    when: "{{fields.notify}}"
    with: { from: desk@contoso.com, to: "{{fields.userEmail}}", subject: Enabled, body: Your account is enabled. }
result:
  messages:
    succeeded: "{{fields.userEmail}} can sign in."
    failed: "{{fields.userEmail}} could not be enabled: {{error.message}}"
`;

const CASES = `intent: Enable Account
cases:
  - name: a disabled account is enabled
    requester: grace.taylor@contoso.com
    fields: { User Email: adele.vance@contoso.com }
    fixture: { users: { adele.vance@contoso.com: { accountEnabled: false } } }
    expect: { status: succeeded, steps: { lookup: ok, enable: changed, enableByRunbook: skipped, notify: skipped } }
`;

function intentsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-conditions-"));
  cpSync(join(__dirname, "../../intents/shared"), join(dir, "shared"), { recursive: true });
  mkdirSync(join(dir, "cases"));
  writeFileSync(join(dir, "enable-account.yaml"), INTENT);
  writeFileSync(join(dir, "cases", "enable-account.cases.yaml"), CASES);
  return dir;
}

function capture(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  return () => chunks.join("");
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("an offline plan of a step whose condition reads a lookup", () => {
  it("plans the step and names its condition; a condition decided without the tenant still skips", async () => {
    vi.stubEnv("EXCHANGE_MODE", "");
    const dir = intentsDir();
    const payload = join(dir, "payload.json");
    writeFileSync(payload, JSON.stringify({
      intent_name: "Enable Account",
      intent_fields: { "User Email": "adele.vance@contoso.com" },
      meta_data: { ticket_id: 1, contact_name: "Grace", contact_email: "grace.taylor@contoso.com", company_name: "Contoso" },
    }));
    const out = capture();
    expect(await run([join(dir, "enable-account.yaml"), "--input", payload])).toBe(0);
    const result = JSON.parse(out()) as { message: string; steps: Array<{ id: string; status: string; planned?: unknown; plannedIf?: string }> };
    const byId = Object.fromEntries(result.steps.map((step) => [step.id, step]));
    expect(byId.enable).toMatchObject({
      planned: { method: "PATCH", path: "/users/<steps.lookup.output.userId>", body: { accountEnabled: true } },
      plannedIf: "{{not steps.lookup.output.enabled}}",
    });
    // A false part of an `and` that reads no stand-in decides it (EXCHANGE_MODE is api unless set to runbook),
    // as does a condition on the payload alone: skipped, nothing planned.
    for (const id of ["enableByRunbook", "notify"]) {
      expect(byId[id], id).toMatchObject({ status: "skipped" });
      expect(byId[id]?.planned, id).toBeUndefined();
      expect(byId[id]?.plannedIf, id).toBeUndefined();
    }
    expect(result.message).toBe("Dry run, nothing was changed: 2 step(s) planned.");
  });

  it("--cases prints what each step sends and the condition it waits on; a false part of an `and` skips", async () => {
    const out = capture();
    expect(await run(["--cases", "--dir", intentsDir()])).toBe(0);
    // The cases' settings say EXCHANGE_MODE: api, so the runbook route is decided: skipped.
    expect(out()).toBe(
      [
        "Enable Account › a disabled account is enabled: planned",
        "  lookup: GET /users/adele.vance%40contoso.com",
        "  enable: PATCH /users/<steps.lookup.output.userId> (if {{not steps.lookup.output.enabled}})",
        "  enableByRunbook: skipped",
        "  notify: skipped",
        "",
      ].join("\n"),
    );
  });

  it("refuses an intent file that does not load with lint's own lines, under the first problem's code", async () => {
    const dir = intentsDir();
    writeFileSync(join(dir, "enable-account.yaml"), INTENT.replace("[User.ReadWrite.All, Mail.Send]", "[User.ReadWrite.All]"));
    writeFileSync(join(dir, "payload.json"), "{}");
    const out = capture();
    expect(await run([join(dir, "enable-account.yaml"), "--input", join(dir, "payload.json")])).toBe(1);
    expect(out()).toMatch(/^intents plan: SPEC_PERMISSION_MISSING the intent does not load \(1 problem\(s\); fix them first\):\n.*enable-account\.yaml:\d+:\d+ SPEC_PERMISSION_MISSING POST \/users\/\{from\}\/sendMail needs .*Mail\.Send/);
  });

  it("--cases names a cmdlet, a runbook and each request of a $batch", async () => {
    const out = capture();
    expect(await run(["--cases"])).toBe(0);
    const text = out();
    expect(text).toContain("\n  convert: cmdlet Set-Mailbox\n  convertByRunbook: skipped\n");
    expect(text).toMatch(/\n {2}lookup: \$batch user: GET \/users\/ben\.walters%40contoso\.com, skus: GET \/subscribedSkus\n {2}location: PATCH \/users\/<steps\.lookup\.output\.userId> \(if \{\{fields\.action == 'assign' and not snapshot\.lookup\.usageLocation\}\}\)\n/);
  });
});
