/**
 * An approval of a run that waits for its time (User Offboarding with a last day): the approver
 * reads when it runs; approving schedules it without a write; on the day the tenant is read again
 * before the first write, and the approved changes are made, or, when the tenant changed since,
 * the approvers are asked again and nothing is written.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDueRuns } from "../../engine/lifecycle/schedule/tick";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { approvalMails, startApprovalStack, tenantWrites, textOf, type ApprovalStack } from "./support/stack";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
let stack: ApprovalStack | undefined;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
});
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
afterAll(async () => {
  await sandbox?.close();
  await azurite?.close();
});

const BEN = "ben.walters@contoso.com";
const MEGAN = "megan.bowen@contoso.com";
/** Each test's last day, as the requester gives it, and how the approver reads it (the tenant's time zone is UTC here). */
const FRIDAY = { lastDay: "2026-12-04", due: Date.parse("2026-12-04T17:00:00Z"), words: "Friday 4 December 2026 at 17:00" };
const TUESDAY = { lastDay: "2026-12-08", due: Date.parse("2026-12-08T17:00:00Z"), words: "Tuesday 8 December 2026 at 17:00" };
type Day = typeof FRIDAY;

const lastLink = (address: string) => approvalMails(sandbox, address).at(-1)?.link ?? "";
const userId = (upn: string) => sandbox.tenant.users.find((user) => user.userPrincipalName === upn)?.id as string;

/** Ben (not the Service Desk) asks to offboard `upn` on `day`; Megan (Service Desk) approves on the page. */
async function approvedOffboarding(s: ApprovalStack, upn: string, day: Day, ticket: number): Promise<{ runId: string; approvalId: string }> {
  const answer = await s.post("User Offboarding", { "User Email": upn, "Remove Licenses": "Yes", "Last Day": day.lastDay }, BEN, ticket);
  expect(answer.body.status).toBe("awaiting_approval");
  const page = await s.open(lastLink(MEGAN));
  expect(textOf(page.html)).toContain(`Runs ${day.words}`);
  const mail = approvalMails(sandbox, MEGAN).at(-1)?.mail;
  expect(String(mail?.message.body?.content)).toContain(`makes these changes on ${day.words}`);
  expect((await s.decide(page, "approve")).status).toBe(200);
  await s.continueRuns();
  return { runId: answer.body.runId, approvalId: answer.body.approval.id };
}

/** The schedule timer at `at`, then the continuations it queued. */
async function wakeAt(s: ApprovalStack, at: number): Promise<void> {
  clock.advance(at - clock.now());
  await startDueRuns(s.host.deps, () => undefined);
  await s.continueRuns();
}

describe("an approved run that waits for its time", () => {
  it("shows when it runs, waits without a write, and on the day checks the tenant again and makes the approved changes", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const before = sandbox.requests().length;
    const { runId } = await approvedOffboarding(stack, "adele.vance@contoso.com", FRIDAY, 95_001);
    const waiting = await stack.getRun(runId);
    expect(waiting.body).toMatchObject({ status: "scheduled", schedule: { at: "2026-12-04T17:00:00+00:00" }, approval: { state: "approved" } });
    expect(tenantWrites(sandbox, before)).toEqual([]);

    const applied = () => stack!.events.filter((e) => e.event === "approval.applied").length;
    const appliedBefore = applied();
    await wakeAt(stack, FRIDAY.due + 1_000);
    const adele = userId("adele.vance@contoso.com");
    expect(tenantWrites(sandbox, before).map((w) => w.method)).toEqual(expect.arrayContaining(["PATCH", "POST"]));
    expect(sandbox.tenant.users.find((user) => user.id === adele)).toMatchObject({ accountEnabled: false, assignedLicenses: [] });
    expect(applied()).toBe(appliedBefore + 1); // the plan was checked again on the day
    expect((await stack.getRun(runId)).body).toMatchObject({ status: "succeeded", approval: { state: "approved", decidedBy: { address: MEGAN } } });
  });

  it("asks again, without a write, when the tenant changed between the approval and the day", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const upn = "johanna.lorenz@contoso.com";
    const { runId, approvalId } = await approvedOffboarding(stack, upn, TUESDAY, 95_002);
    const mailsBefore = approvalMails(sandbox, MEGAN).length;

    // Someone disables the account by hand before the day: the approved "accountEnabled: true → false" is no longer the plan.
    const patched = await fetch(`${sandbox.graphBaseUrl}/users/${userId(upn)}`, { method: "PATCH", headers: { authorization: "Bearer x", "content-type": "application/json" }, body: JSON.stringify({ accountEnabled: false }) });
    expect(patched.status).toBe(204);
    const before = sandbox.requests().length;
    await wakeAt(stack, TUESDAY.due + 1_000);

    expect(tenantWrites(sandbox, before)).toEqual([]);
    const run = await stack.getRun(runId);
    expect(run.body).toMatchObject({ status: "awaiting_approval", approval: { state: "pending", supersedes: approvalId } });
    expect(run.body.message).toMatch(/^Something changed in your organisation since your request was approved/);
    expect(approvalMails(sandbox, MEGAN)).toHaveLength(mailsBefore + 1);
    // Due now: the new plan runs once approved, so the page names no later time.
    const page = await stack.open(lastLink(MEGAN));
    expect(textOf(page.html)).toContain("accountEnabled: false (already so)");
    expect(textOf(page.html)).not.toContain("Runs ");
  });
});
