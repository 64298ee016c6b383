/** `intents run` and `intents plan --graph-url` against the sandbox tenant, over real HTTP. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as plan from "../../engine/hosts/cli/commands/plan";
import * as runCommand from "../../engine/hosts/cli/commands/run";
import { DEMO_POLICY_PATH, type Sandbox } from "../../sandbox";
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

/** A webhook payload file; `requester` is meta_data.contact_email, judged by requester policy. */
function payload(fields: Record<string, unknown>, requester = "ben.walters@contoso.com"): string {
  const file = join(mkdtempSync(join(tmpdir(), "cli-sandbox-")), "payload.json");
  writeFileSync(file, JSON.stringify({ intent_fields: fields, meta_data: { ticket_id: "T-42", contact_email: requester } }));
  return file;
}

const writes = (from: number) => sandbox.requests().slice(from).filter((entry) => entry.method !== "GET" && entry.path !== "/v1.0/$batch");

// A security group Graph manages (not mail-enabled, not dynamic, not synced).
const IT_DEPARTMENT = "72eba7ab-449c-5afe-9555-efd3244f4f24";

async function itMembers(): Promise<string[]> {
  const answer = await graph(sandbox, "GET", `/groups/${IT_DEPARTMENT}/members?$select=id`);
  return (answer.body.value as Array<{ id: string }>).map((member) => member.id);
}

const benToIt = { "User Email": "ben.walters@contoso.com", "Group Name": "IT Department" };

describe("intents plan --graph-url against the sandbox", () => {
  it("sends reads only, in one $batch with requester policy's, shows the decision and plans the write", async () => {
    const before = sandbox.requests().length;
    expect(await plan.run(["add user to group", "--input", payload(benToIt), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    const sent = sandbox.requests().slice(before);
    const batches = [...new Set(sent.flatMap((entry) => (entry.batch ? [entry.batch.sequence] : [])))];
    const itemsOf = (sequence: number | undefined) => sent.filter((entry) => entry.batch?.sequence === sequence).map((entry) => `${entry.method} ${entry.path.split("?")[0]}`);
    // Requester, target with manager, target's memberships, eligible roles, administrative-unit roles; then the intent's user and group.
    expect(itemsOf(batches[0]).map((item) => item.split(" ")[0])).toEqual(["GET", "GET", "GET", "GET", "GET", "GET", "GET"]);
    expect(itemsOf(batches[0]).slice(3, 5)).toEqual(["GET /v1.0/roleManagement/directory/roleEligibilityScheduleInstances", "GET /v1.0/users/ben.walters%40contoso.com/scopedRoleMemberOf"]);
    // Then the plan's own reads, the names an approver reads: the group and the user the write joins.
    expect(itemsOf(batches[1]).sort()).toEqual([`GET /v1.0/groups/${IT_DEPARTMENT}`, `GET /v1.0/users/${DEMO.ben}`].sort());
    expect(sent.filter((entry) => !entry.batch).map((entry) => `${entry.method} ${entry.path}`)).toEqual(["POST /v1.0/$batch", "POST /v1.0/$batch"]);
    const result = JSON.parse(out) as { policy: { decision: string; rule: { reason: string } }; steps: Array<{ id: string; status: string; planned?: { method: string; path: string } }> };
    expect(result.policy).toMatchObject({ decision: "allow", rule: { source: "built-in rules.reversible", reason: "self" } });
    expect(result.steps.find((step) => step.id === "add")).toMatchObject({ status: "skipped", planned: { method: "POST", path: `/groups/${IT_DEPARTMENT}/members/$ref` } });
    expect(await itMembers()).not.toContain(DEMO.ben);
  });

  it("says when requester policy would refuse the payload, and still shows the plan", async () => {
    expect(await plan.run(["add user to group", "--input", payload(benToIt, "adele.vance@contoso.com"), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    const result = JSON.parse(out) as { message: string; policy: { decision: string; approvers: unknown[] }; steps: unknown[] };
    expect(result.policy).toMatchObject({ decision: "approve", approvers: [{ kind: "manager", id: DEMO.diego, level: 1 }] });
    expect(result.message).toMatch(/^Requester policy asks for an approval: where approvals are on, the webhook answers 202 awaiting_approval and mails the approvers \(policy\.approvers\) this plan; with them off, it refuses 403 APPROVAL_REQUIRED\.$/);
    expect(result.steps).toHaveLength(2);
  });

  it("without a Graph URL shows the rule and the reads it would send", async () => {
    expect(await plan.run(["password reset", "--input", payload({ "User Email": "adele.vance@contoso.com" }, "grace.taylor@contoso.com")])).toBe(0);
    const result = JSON.parse(out) as { policy: { decision: string; rule: { source: string; says: string }; reads: Array<{ path: string }> } };
    expect(result.policy).toMatchObject({ decision: "not judged", rule: { source: "built-in rules.reversible", says: "the target themself, the target's manager; otherwise approval" } });
    expect(result.policy.reads.map((read) => read.path)).toEqual([
      "/users/grace.taylor%40contoso.com", "/users/adele.vance%40contoso.com", "/users/adele.vance%40contoso.com/transitiveMemberOf",
      "/roleManagement/directory/roleEligibilityScheduleInstances", "/users/adele.vance%40contoso.com/scopedRoleMemberOf",
    ]);
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
    vi.stubEnv("POLICY_FILE", DEMO_POLICY_PATH); // its Service Desk may ask for anyone
    const unknownUser = { "User Email": "nobody@contoso.com", "Group Name": "IT Department" };
    expect(await runCommand.run(["add user to group", "--input", payload(unknownUser, "megan.bowen@contoso.com"), "--graph-url", sandbox.graphBaseUrl])).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ status: "failed", error: { code: "USER_NOT_FOUND" } });
  });

  it("refuses what requester policy refuses: exit 1, a denied result, nothing written", async () => {
    const before = sandbox.requests().length;
    const reset = { "User Email": "adele.vance@contoso.com", "Temporary Password": "Given-Pass-123!" };
    expect(await runCommand.run(["password reset", "--input", payload(reset), "--graph-url", sandbox.graphBaseUrl])).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ status: "denied", error: { code: "APPROVAL_REQUIRED" }, steps: [] });
    expect(writes(before)).toEqual([]);
    out = "";
    vi.stubEnv("HELPDESK_EMAIL", "helpdesk@contoso.com");
    vi.stubEnv("MAIL_SENDER", "reception@contoso.com");
    expect(await runCommand.run(["password reset", "--input", payload(reset, "adele.vance@contoso.com"), "--graph-url", sandbox.graphBaseUrl])).toBe(0);
    expect(writes(before).map((entry) => `${entry.method} ${entry.path}`)).toEqual(["PATCH /v1.0/users/adele.vance%40contoso.com"]);
  });
});
