/**
 * An undo goes through requester policy and approval like any run: a colleague's undo of a change
 * under the demo deployment's policy waits for an approver without a write, and the approved undo
 * then reverses the change; over real HTTP (local server, Azurite, the sandbox tenant).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { approvalMails, SECRET, startApprovalStack, type ApprovalStack } from "../approvals/support/stack";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
const JOHANNA = "johanna.lorenz@contoso.com";
const ISAIAH = "isaiah.langer@contoso.com";
let azurite: RunningAzurite;
let sandbox: Sandbox;
let stack: ApprovalStack;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  stack = await startApprovalStack({ sandbox, azurite, clock });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
  await azurite?.close();
});

const inMarketing = () => {
  const johanna = sandbox.tenant.users.find((u) => u.userPrincipalName === JOHANNA)!;
  return sandbox.tenant.groups.find((g) => g.displayName === "Marketing")!.members.includes(johanna.id);
};
const writes = () => sandbox.requests().filter((r) => r.method !== "GET" && !r.path.endsWith("$batch") && !r.path.endsWith("/sendMail"));

async function undo(runId: string, requester: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}/api/runs/${runId}/undo`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-intent-secret": SECRET },
    body: JSON.stringify({ meta_data: { contact_email: requester, contact_name: requester.split("@")[0] } }),
  });
  return { status: response.status, body: await response.json() };
}

describe("an undo asked by someone policy wants approved", () => {
  it("waits for the approver without a write, then reverses the change once approved", async () => {
    const added = await stack.post("Add User to Group", { "User Email": JOHANNA, "Group Name": "Marketing" }, "megan.bowen@contoso.com", 83_001);
    expect(added.body.status).toBe("succeeded");
    expect(inMarketing()).toBe(true);

    const sent = writes().length;
    const asked = await undo(added.body.runId, "ben.walters@contoso.com");
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: "awaiting_approval", undoOf: added.body.runId, approval: { state: "pending" } });
    expect(writes().length).toBe(sent);
    expect(inMarketing()).toBe(true);

    // Johanna's manager approves from the link in their mail; the undo runs from the queue.
    const link = approvalMails(sandbox, ISAIAH).at(-1)?.link ?? "";
    expect(link).toContain(`/api/approvals/${asked.body.approval.id}`);
    const page = await stack.open(link);
    expect(page.status).toBe(200);
    const decided = await stack.decide(page, "approve");
    expect(decided.status).toBe(200);
    await stack.continueRuns();

    expect(inMarketing()).toBe(false);
    const record = await stack.getRun(asked.body.runId);
    expect(record.body).toMatchObject({ status: "succeeded", intentName: "Undo Add User to Group", undo: { of: added.body.runId } });
  });
});
