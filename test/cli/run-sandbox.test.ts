/** `intents run` and `intents plan --graph-url` against the sandbox tenant, over real HTTP. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as plan from "../../engine/hosts/cli/commands/plan";
import * as runCommand from "../../engine/hosts/cli/commands/run";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, startTestSandbox } from "../sandbox/helpers";

let sandbox: Sandbox;
let out: string;

beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(() => sandbox.close());
beforeEach(() => {
  out = "";
  vi.stubEnv("GRAPH_ACCESS_TOKEN", "any-token-the-sandbox-accepts");
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function payload(fields: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), "cli-sandbox-")), "payload.json");
  writeFileSync(file, JSON.stringify({ intent_fields: fields, meta_data: { ticket_id: "T-42" } }));
  return file;
}

// A security group Graph manages (not mail-enabled, not dynamic, not synced).
const IT_DEPARTMENT = "72eba7ab-449c-5afe-9555-efd3244f4f24";

async function itMembers(): Promise<string[]> {
  const answer = await graph(sandbox, "GET", `/groups/${IT_DEPARTMENT}/members?$select=id`);
  return (answer.body.value as Array<{ id: string }>).map((member) => member.id);
}

const benToIt = { "User Email": "ben.walters@contoso.com", "Group Name": "IT Department" };

describe("intents plan --graph-url against the sandbox", () => {
  it("sends reads only and plans the write", async () => {
    const before = sandbox.requests().length;
    expect(await plan.run(["add user to group", "--input", payload(benToIt), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    const sent = sandbox.requests().slice(before);
    const items = sent.filter((entry) => entry.batch);
    expect(items.map((entry) => entry.method)).toEqual(["GET", "GET"]);
    expect(sent.filter((entry) => !entry.batch).map((entry) => `${entry.method} ${entry.path}`)).toEqual(["POST /v1.0/$batch"]);
    const result = JSON.parse(out) as { steps: Array<{ id: string; status: string; planned?: { method: string; path: string } }> };
    expect(result.steps.find((step) => step.id === "add")).toMatchObject({ status: "skipped", planned: { method: "POST", path: `/groups/${IT_DEPARTMENT}/members/$ref` } });
    expect(await itMembers()).not.toContain(DEMO.ben);
  });
});

describe("intents run against the sandbox", () => {
  it("changes the sandbox tenant, then finds the second run already done", async () => {
    expect(await runCommand.run(["add user to group", "--input", payload(benToIt), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: "succeeded", steps: [{ id: "lookup", status: "ok" }, { id: "add", status: "changed" }] });
    expect(await itMembers()).toContain(DEMO.ben);

    out = "";
    expect(await runCommand.run(["add user to group", "--input", payload(benToIt), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: "succeeded", steps: [{ id: "lookup", status: "ok" }, { id: "add", status: "ok" }] });
  });

  it("exits 1 with the engine's code when the sandbox answers a failure", async () => {
    const unknownUser = { "User Email": "nobody@contoso.com", "Group Name": "IT Department" };
    expect(await runCommand.run(["add user to group", "--input", payload(unknownUser), "--graph-url", sandbox.graphBaseUrl])).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ status: "failed", error: { code: "USER_NOT_FOUND" } });
  });
});
