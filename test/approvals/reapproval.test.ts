/**
 * What is approved is what runs: a tenant change between the plan and the approval asks the same
 * approvers again instead of writing a plan nobody saw; an approval survives an engine restart (all
 * its state in Azure Tables); the console decides through the same lifecycle function, where the
 * requester can never approve; `intents plan --diff` prints the lines the approver reads.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { approvalsPort } from "../../engine/hosts/compose/approvals-port";
import * as planCommand from "../../engine/hosts/cli/commands/plan";
import { decideApproval } from "../../engine/lifecycle/approval/decide";
import { listPendingApprovals } from "../../engine/lifecycle/approval/list";
import { DEMO_POLICY_PATH, startSandbox, type Sandbox } from "../../sandbox";
import { DEMO } from "../sandbox/helpers";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { approvalMails, MAILBOX, startApprovalStack, tenantWrites, textOf, type ApprovalStack } from "./support/stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
const stacks: ApprovalStack[] = [];
let ticket = 82_000;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
});
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await sandbox?.close();
  await azurite?.close();
});

async function start(): Promise<ApprovalStack> {
  const stack = await startApprovalStack({ sandbox, azurite, clock });
  stacks.push(stack);
  return stack;
}

const MEGAN = "megan.bowen@contoso.com";
const lastLink = (address: string) => approvalMails(sandbox, address).at(-1)?.link ?? "";

async function graphWrite(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.graphBaseUrl}${path}`, { method, headers: { authorization: "Bearer x", "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(204);
}

const memberOf = (group: string, user: string) => sandbox.tenant.groups.find((g) => g.id === group)?.members.includes(user);

describe("a tenant change between plan and approval", () => {
  it("asks the approvers again with the new plan, and writes only once the new plan is approved", async () => {
    const stack = await start();
    // Diego asks to offboard Ben (destructive: only the Service Desk may ask, others need its approval).
    const answer = await stack.post("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "ben.walters@contoso.com", "Remove from Groups": "Yes" }, "diego.siciliani@contoso.com", ++ticket);
    expect(answer.status).toBe(202);
    expect(answer.body.message).toContain("a member of Service Desk");
    const firstLink = lastLink(MEGAN);
    const firstPage = await stack.open(firstLink);
    expect(textOf(firstPage.html)).toContain("Remove Ben Walters (ben.walters@contoso.com) from 1 group: Sales Team");

    // Someone adds Ben to IT Department after the plan was made.
    await graphWrite("POST", `/groups/${DEMO.itDepartment}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${DEMO.ben}` });
    const before = sandbox.requests().length;
    expect((await stack.decide(firstPage, "approve")).status).toBe(200);
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toEqual([]);
    expect(memberOf(DEMO.itDepartment, DEMO.ben)).toBe(true);

    const waiting = await stack.getRun(answer.body.runId);
    expect(waiting.body).toMatchObject({ status: "awaiting_approval", approval: { state: "pending", supersedes: answer.body.approval.id } });
    expect(waiting.body.message).toMatch(/^Something changed in your organisation since your request was approved, so it needs a new approval: waiting for/);
    expect(stack.events.filter((e) => e.event === "approval.plan_changed")).toHaveLength(1);

    // The old link is closed; the new mail shows the new plan.
    expect((await stack.open(firstLink)).status).toBe(409);
    const secondLink = lastLink(MEGAN);
    expect(secondLink).not.toBe(firstLink);
    const secondPage = await stack.open(secondLink);
    expect(textOf(secondPage.html)).toContain("Remove Ben Walters (ben.walters@contoso.com) from 2 groups: Sales Team, IT Department");
    expect((await stack.decide(secondPage, "approve")).status).toBe(200);
    await stack.continueRuns();

    const done = await stack.getRun(answer.body.runId);
    expect(done.body).toMatchObject({ status: "succeeded", approval: { id: waiting.body.approval.id, state: "approved", decidedBy: { address: MEGAN } } });
    expect(memberOf(DEMO.itDepartment, DEMO.ben)).toBe(false);
    expect(memberOf(DEMO.salesSecurity, DEMO.ben)).toBe(false);
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.ben)?.accountEnabled).toBe(false);
  });
});

describe("an approval across an engine restart", () => {
  it("is decided on a new instance from what Azure Tables holds, and runs there", async () => {
    const first = await start();
    const answer = await first.post("Password Reset", { "User Email": "johanna.lorenz@contoso.com" }, "diego.siciliani@contoso.com", ++ticket);
    expect(answer.body.status).toBe("awaiting_approval");
    const link = lastLink("isaiah.langer@contoso.com");
    await first.close();
    stacks.splice(stacks.indexOf(first), 1);

    const second = await start();
    // The link names the first instance's address; the approval itself is in storage.
    const moved = link.replace(/^http:\/\/[^/]+/, second.url);
    const page = await second.open(moved);
    expect(page.status).toBe(200);
    const before = sandbox.requests().length;
    expect((await second.decide(page, "approve")).status).toBe(200);
    await second.continueRuns();
    expect(tenantWrites(sandbox, before).map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /v1.0/users/${encodeURIComponent("johanna.lorenz@contoso.com")}`]);
    expect((await second.getRun(answer.body.runId)).body).toMatchObject({ status: "succeeded", approval: { state: "approved" } });
  });
});

describe("the operator console's inbox", () => {
  it("lists what waits, with the page's lines, and decides through the same function; the requester never approves", async () => {
    const stack = await start();
    const answer = await stack.post("Password Reset", { "User Email": "adele.vance@contoso.com" }, "miriam.graham@contoso.com", ++ticket);
    expect(answer.body.status).toBe("awaiting_approval");
    const id = answer.body.approval.id as string;
    const pending = (await listPendingApprovals(stack.host.deps)).find((item) => item.approvalId === id);
    expect(pending).toMatchObject({ runId: answer.body.runId, intentName: "Password Reset", target: "adele.vance@contoso.com", requester: { email: "miriam.graham@contoso.com" } });
    expect(pending?.changes).toEqual(expect.arrayContaining(["Update user adele.vance@contoso.com", "  passwordProfile.password: a new value (not shown)"]));

    await expect(decideApproval(stack.host.deps, { approvalId: id, decision: "approve", approver: { address: "MIRIAM.Graham@contoso.com" }, via: "console" }, () => undefined))
      .rejects.toMatchObject({ code: "APPROVAL_SELF" });
    await expect(decideApproval(stack.host.deps, { approvalId: id, decision: "approve", approver: { address: "johanna.lorenz@contoso.com" }, via: "console" }, () => undefined))
      .rejects.toMatchObject({ code: "APPROVAL_NOT_APPROVER" });
    await expect(decideApproval(stack.host.deps, { approvalId: "0".repeat(32), decision: "approve", approver: { address: MEGAN }, via: "console" }, () => undefined))
      .rejects.toMatchObject({ code: "APPROVAL_NOT_FOUND" });

    const port = approvalsPort(stack.host.deps);
    expect((await port.pending()).map((item) => item.approvalId)).toContain(id);
    // Grace is Adele's manager: the console knows her by her Entra object id.
    const decided = await port.decide(id, "deny", { id: DEMO.grace, name: "Grace Taylor", via: "entra" }, "Not this week");
    expect(decided).toMatchObject({ ok: true, status: "denied" });
    expect(await port.stateOf(answer.body.runId)).toMatchObject({ state: "denied", decidedBy: { address: "grace.taylor@contoso.com" }, via: "console", comment: "Not this week" });
    expect(await port.decide(id, "approve", { id: DEMO.grace, name: "Grace Taylor", via: "entra" }, undefined)).toMatchObject({ ok: false, error: { code: "APPROVAL_CLOSED" } });
  });
});

describe("intents plan --diff", () => {
  it("prints the lines the approver's page shows", async () => {
    const stack = await start();
    const fields = { ...SIGN_OUT_ONLY, "User Email": "conor.obrien@contoso.com", "Remove from Groups": "Yes" };
    await stack.post("User Offboarding", fields, "diego.siciliani@contoso.com", ++ticket);
    const page = textOf((await stack.open(lastLink(MEGAN))).html);

    const dir = mkdtempSync(join(tmpdir(), "plan-diff-"));
    const payload = join(dir, "payload.json");
    writeFileSync(payload, JSON.stringify({ intent_name: "User Offboarding", intent_fields: fields, meta_data: { ticket_id: ticket, contact_email: "diego.siciliani@contoso.com" } }));
    let out = "";
    vi.stubEnv("GRAPH_ACCESS_TOKEN", "sandbox");
    vi.stubEnv("POLICY_FILE", DEMO_POLICY_PATH);
    vi.stubEnv("NOTIFICATION_MAILBOX", MAILBOX);
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await planCommand.run(["User Offboarding", "--input", payload, "--graph-url", sandbox.graphBaseUrl, "--diff"])).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toContain("Update user conor.obrien@contoso.com");
    expect(lines).toContain("  accountEnabled: true → false");
    for (const line of lines) expect(page).toContain(line.trim());
  });
});
