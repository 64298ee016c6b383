import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as lint from "../../engine/hosts/cli/commands/lint";
import * as plan from "../../engine/hosts/cli/commands/plan";
import * as runCommand from "../../engine/hosts/cli/commands/run";

const root = join(__dirname, "..", "..");
let out: string;
let err: string;

beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

// The dispatcher (engine/hosts/cli/main.ts) loads these by name with require; tests call them directly.
const commands: Record<string, { run(args: string[]): Promise<number> }> = { lint, plan, run: runCommand };
function main([name, ...args]: string[]): Promise<number> {
  return (commands[name ?? ""] as { run(args: string[]): Promise<number> }).run(args);
}

function payload(body: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "cli-")), "payload.json");
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe("intents lint", () => {
  it("exits 0 on the shipped intents", async () => {
    expect(await main(["lint", join(root, "intents")])).toBe(0);
    expect(err).toMatch(/\d+ intent file\(s\) and \d+ librar(y|ies) checked, no problems/);
  });

  it("prints every problem as file:line:col CODE message and exits 1", async () => {
    expect(await main(["lint", join(root, "test", "fixtures", "broken-intents")])).toBe(1);
    const lines = out.trim().split("\n");
    // One defect per file, one line per defect.
    expect(lines).toHaveLength(readdirSync(join(root, "test", "fixtures", "broken-intents")).filter((name) => name.endsWith(".yaml")).length);
    expect(lines).toContainEqual(expect.stringMatching(/forward-reference\.yaml:14:14 SPEC_FORWARD_REFERENCE "steps\.later\.status"/));
  });

  it("exits 2 on a bad flag or a missing path", async () => {
    expect(await main(["lint", "--strict"])).toBe(2);
    expect(err).toContain("unknown option --strict");
    expect(await main(["lint", join(root, "nope")])).toBe(2);
  });
});

describe("intents plan", () => {
  it("shows the rendered requests without sending anything, secrets masked", async () => {
    const input = payload({ intent_fields: { "User Email": "jane@contoso.com", "Temporary Password": "Xy-secret-99" }, meta_data: { ticket_id: "T-9" } });
    expect(await main(["plan", "password reset", "--input", input])).toBe(0);
    const result = JSON.parse(out) as { steps: Array<{ id: string; planned?: { method: string; path: string; body: unknown } }> };
    expect(result.steps.find((s) => s.id === "reset")?.planned).toEqual({
      method: "PATCH",
      path: "/users/jane%40contoso.com",
      body: { passwordProfile: { password: "***", forceChangePasswordNextSignIn: true } },
    });
    expect(out).not.toContain("Xy-secret-99");
  });

  it("says when each step of a scheduled offboarding would run, on the tenant's clock (summer time in London)", async () => {
    vi.stubEnv("TENANT_TIME_ZONE", "Europe/London");
    vi.stubEnv("TENANT_DATE_ORDER", "DMY");
    try {
      const input = payload({ intent_fields: { "User Email": "jane@contoso.com", "Last Day": "30/06/2099" }, meta_data: { ticket_id: "T-9" } });
      expect(await main(["plan", "user offboarding", "--input", input])).toBe(0);
      const result = JSON.parse(out) as { steps: Array<{ id: string; at?: string }> };
      expect(result.steps.find((s) => s.id === "disable")?.at).toBe("2099-06-30T17:00:00+01:00");
      expect(result.steps.every((s) => s.at === "2099-06-30T17:00:00+01:00")).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("says when a delayed step runs, 30 days on the wall clock across the end of summer time, in the plan and its diff", async () => {
    vi.stubEnv("TENANT_TIME_ZONE", "Europe/London");
    try {
      const input = payload({ intent_fields: { "User Email": "jane@contoso.com", "Last Day": "15/10/2099", "Delete Account After": "30 days" }, meta_data: { ticket_id: "T-9" } });
      expect(await main(["plan", "user offboarding", "--input", input])).toBe(0);
      const result = JSON.parse(out) as { steps: Array<{ id: string; at?: string }>; diff: string[] };
      expect(result.steps.find((s) => s.id === "disable")?.at).toBe("2099-10-15T17:00:00+01:00");
      expect(result.steps.find((s) => s.id === "deleteAfter30Days")?.at).toBe("2099-11-14T17:00:00+00:00");
      expect(result.diff.filter((line) => line.startsWith("Later"))).toEqual(["Later, on Saturday 14 November 2099 at 17:00 (Europe/London): Delete user jane@contoso.com"]);
      out = "";
      expect(await main(["plan", "user offboarding", "--input", input, "--diff"])).toBe(0);
      expect(out).toContain("Later, on Saturday 14 November 2099 at 17:00 (Europe/London): Delete user jane@contoso.com");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("reports field errors and unknown intents with exit 1, bad usage with exit 2", async () => {
    expect(await main(["plan", "password reset", "--input", payload({ "User Email": "" })])).toBe(1);
    expect(err).toContain("User Email is required");
    expect(await main(["plan", "Reset Everything", "--input", payload({})])).toBe(1);
    expect(err).toContain("INTENT_UNKNOWN");
    expect(await main(["plan", "password reset"])).toBe(2);
    expect(await main(["plan", "password reset", "--input", "x.json", "--fast"])).toBe(2);
  });
});

describe("intents run", () => {
  it("needs --graph-url and GRAPH_ACCESS_TOKEN (exit 2)", async () => {
    expect(await main(["run", "password reset", "--input", "x.json"])).toBe(2);
    expect(err).toContain("--graph-url is required");
    vi.stubEnv("GRAPH_ACCESS_TOKEN", "");
    expect(await main(["run", "password reset", "--input", "x.json", "--graph-url", "http://127.0.0.1:1/v1.0"])).toBe(2);
    vi.unstubAllEnvs();
  });
});
