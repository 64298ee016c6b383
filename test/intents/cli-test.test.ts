/** `intents test`: one line per case, exit 0 only when every case passed. */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../../engine/hosts/cli/commands/test";

function captureStdout(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  return { text: () => chunks.join("") };
}

afterEach(() => vi.restoreAllMocks());

describe("intents test", () => {
  it("runs the named intent's cases and exits 0 when all pass", async () => {
    const out = captureStdout();
    expect(await run(["remove user from group"])).toBe(0);
    expect(out.text()).toMatch(/^ok {3}Remove User from Group › happy path removes a member/m);
    expect(out.text()).toMatch(/\n10 passed, 0 failed\n$/);
  });

  it("exits 1 and prints what differed when a case fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "intents-"));
    mkdirSync(join(dir, "cases"));
    copyFileSync(join(__dirname, "../../intents/password-reset.yaml"), join(dir, "password-reset.yaml"));
    cpSync(join(__dirname, "../../intents/shared"), join(dir, "shared"), { recursive: true });
    writeFileSync(
      join(dir, "cases", "password-reset.cases.yaml"),
      "intent: Password Reset\ncases:\n  - name: wrong on purpose\n    requester: megan.bowen@contoso.com\n    fields: { User Email: ghost@contoso.com }\n    expect: { status: succeeded }\n",
    );
    const out = captureStdout();
    expect(await run(["--dir", dir])).toBe(1);
    expect(out.text()).toContain('FAIL Password Reset › wrong on purpose');
    expect(out.text()).toContain('status: expected "succeeded", got "failed"');
    // … and why: the step that decided, its error, and the request and answer that decided it.
    expect(out.text()).toMatch(/\n {7}decided at step reset \(graph:request, failed, 1 attempt\): USER_NOT_FOUND No user ghost@contoso\.com exists in this tenant\.\n {9}PATCH \/users\/ghost%40contoso\.com → 404 \{"error":\{"code":"Request_ResourceNotFound"/);
    expect(out.text()).toMatch(/0 passed, 1 failed\n$/);
  });

  it("exits 2 naming the known intents for an unknown one", async () => {
    const out = captureStdout();
    expect(await run(["Reset Everything"])).toBe(2);
    expect(out.text()).toContain('No intent is named "Reset Everything". Known: Add User to Group');
  });
});
