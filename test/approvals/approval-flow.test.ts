/**
 * Plan → approve → apply over real HTTP: a colleague's request under the demo deployment's policy
 * waits for the target's manager or the Service Desk without a write, each approver gets a mail with
 * their own link, the page shows the plan, and the decision posted from the page runs the plan once
 * (or ends the run denied or expired, without a write); the requester hears back by mail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { approvalMails, MAILBOX, startApprovalStack, tenantWrites, textOf, type ApprovalStack } from "./support/stack";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
let stack: ApprovalStack | undefined;
let ticket = 81_000;

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

const MIRIAM = "miriam.graham@contoso.com";
const ISAIAH = "isaiah.langer@contoso.com";
const BEN = "ben.walters@contoso.com";
const RESET = { "User Email": MIRIAM };

const mailsTo = (address: string) => sandbox.tenant.sentMail.filter((m) => m.message.toRecipients?.some((r) => r.emailAddress.address === address));
const lastLink = (address: string) => approvalMails(sandbox, address).at(-1)?.link ?? "";

async function askReset(s: ApprovalStack): Promise<{ runId: string; before: number }> {
  const before = sandbox.requests().length;
  const answer = await s.post("Password Reset", RESET, BEN, ++ticket);
  expect(answer.status).toBe(202);
  expect(answer.body).toMatchObject({ status: "awaiting_approval", steps: [], approval: { state: "pending" } });
  return { runId: answer.body.runId, before };
}

describe("a colleague's password reset", () => {
  it("waits for approval without a write, mails the manager, and runs once when the manager approves on the page", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const before = sandbox.requests().length;
    const answer = await stack.post("Password Reset", RESET, BEN, ++ticket);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe("awaiting_approval");
    expect(answer.body.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.body.message).toBe(`This request needs an approval before anything is changed: waiting for ${MIRIAM}'s manager, Isaiah Langer or a member of Service Desk. You will hear back once it is decided.`);
    expect(answer.body.approval.approvers.map((a: { address: string }) => a.address)).toEqual([ISAIAH, "megan.bowen@contoso.com", "nestor.wilke@contoso.com"]);
    expect(tenantWrites(sandbox, before)).toEqual([]);

    const mails = approvalMails(sandbox, ISAIAH);
    expect(mails).toHaveLength(1);
    const { mail, link } = mails[0]!;
    expect(mail.from).toBe(sandbox.tenant.users.find((u) => u.userPrincipalName === MAILBOX)?.id);
    expect(mail.message.subject).toBe(`Approval needed: Password Reset for ${MIRIAM} (ticket #${ticket})`);
    expect(link).toMatch(new RegExp(`^${stack.url}/api/approvals/${answer.body.approval.id}\\?t=`));
    // Each approver has a link of their own.
    expect(approvalMails(sandbox, "megan.bowen@contoso.com")[0]?.link).not.toBe(link);

    const waiting = await stack.getRun(answer.body.runId);
    expect(waiting.status).toBe(202);
    expect(waiting.body).toMatchObject({ status: "awaiting_approval", approval: { id: answer.body.approval.id, state: "pending" } });

    const page = await stack.open(link);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("Approve Password Reset for miriam.graham@contoso.com?");
    expect(text).toContain("Requested by ben.walters (ben.walters@contoso.com)");
    expect(text).toContain(`Ticket #${ticket}`);
    expect(text).toContain("Update user miriam.graham@contoso.com passwordProfile.password: a new value (not shown)");
    expect(text).toContain("Send a mail from reception@contoso.com to grace.taylor@contoso.com subject: Temporary password for miriam.graham@contoso.com");
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    // The token never leaves in a Referer to another site; this site's own form keeps its Origin.
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.html).not.toMatch(/<script/i);

    const approved = await stack.decide(page, "approve", "OK, she called me <script>alert(1)</script>");
    expect(approved.status).toBe(200);
    expect(textOf(approved.html)).toContain("Approved");
    expect(tenantWrites(sandbox, before)).toEqual([]); // the run continues from the queue
    await stack.continueRuns();

    const writes = tenantWrites(sandbox, before);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /v1.0/users/${encodeURIComponent(MIRIAM)}`]);
    const delivered = mailsTo("grace.taylor@contoso.com").filter((m) => m.message.subject?.startsWith(`Temporary password for ${MIRIAM}`));
    expect(delivered).toHaveLength(1);

    const done = await stack.getRun(answer.body.runId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: "succeeded",
      approval: { state: "approved", decidedBy: { address: ISAIAH, name: "Isaiah Langer" }, via: "link", comment: "OK, she called me <script>alert(1)</script>" },
    });
    expect(Date.parse(done.body.approval.decidedAt)).toBe(clock.now());
    const events = stack.events.map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(["approval.requested", "approval.decided", "approval.applied"]));

    // The requester hears back by mail: the run answered 202 before.
    await stack.deliverReports();
    expect(mailsTo(BEN).map((m) => m.message.subject)).toContain(`Your request: Password Reset (ticket #${ticket})`);

    // The same decision posted again, or another approver's link: a clear page, and nothing runs twice.
    const replay = await stack.decide(page, "approve");
    expect(replay.status).toBe(409);
    expect(textOf(replay.html)).toContain("This request was already approved");
    const other = await stack.open(approvalMails(sandbox, "megan.bowen@contoso.com").at(-1)!.link);
    expect(other.status).toBe(409);
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toHaveLength(1);
  });

  it("ends denied on the page's Deny, without a write, and tells the requester with the approver's reason", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const { runId, before } = await askReset(stack);
    const page = await stack.open(lastLink(ISAIAH));
    const denied = await stack.decide(page, "deny", "Miriam is on leave");
    expect(denied.status).toBe(200);
    expect(textOf(denied.html)).toContain("Denied");
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toEqual([]);
    const record = await stack.getRun(runId);
    expect(record.status).toBe(403);
    expect(record.body).toMatchObject({
      status: "denied", error: { code: "APPROVAL_DENIED" },
      approval: { state: "denied", decidedBy: { address: ISAIAH }, comment: "Miriam is on leave" },
    });
    expect(record.body.message).toBe('Your request was not approved by Isaiah Langer, so nothing was changed. They said: "Miriam is on leave"');
    await stack.deliverReports();
    const told = mailsTo(BEN).filter((m) => String(m.message.body?.content).includes("not approved by Isaiah Langer"));
    expect(told).toHaveLength(1);
    // After the denial, another approver's link shows the outcome, and approving on the old page does nothing.
    const other = await stack.open(lastLink("megan.bowen@contoso.com"));
    expect([other.status, textOf(other.html)]).toEqual([409, expect.stringContaining("This request was already denied")]);
    const late = await stack.decide(page, "approve");
    expect([late.status, textOf(late.html)]).toEqual([409, expect.stringContaining("This request was already denied")]);
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toEqual([]);
  });

  it("expires when nobody decides in time: the timer ends it without a write, the page says so", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const { runId, before } = await askReset(stack);
    const link = lastLink(ISAIAH);
    const page = await stack.open(link);
    clock.advance(24 * 3_600_000);
    // Earlier tests' approvals expire in the same sweep; this run's is among them.
    expect(((await stack.sweep()) as { expired: number }).expired).toBeGreaterThanOrEqual(1);
    expect((await stack.getRun(runId)).body).toMatchObject({ status: "expired", error: { code: "APPROVAL_EXPIRED" }, approval: { state: "expired" } });
    const late = await stack.decide(page, "approve");
    expect(late.status).toBe(410);
    expect(textOf(late.html)).toContain("expired");
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toEqual([]);
    expect(stack.events.filter((e) => e.event === "approval.expired")).toHaveLength(1);
    await stack.deliverReports();
    expect(mailsTo(BEN).filter((m) => String(m.message.body?.content).includes("not approved in time"))).toHaveLength(1);
  });

  it("expires as it is read when the timer has not come yet (a short lifetime setting)", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock, env: { APPROVAL_LIFETIME_HOURS: "0.5" } });
    const { runId, before } = await askReset(stack);
    clock.advance(30 * 60_000);
    const record = await stack.getRun(runId);
    expect(record.body).toMatchObject({ status: "expired", approval: { state: "expired" } });
    expect(tenantWrites(sandbox, before)).toEqual([]);
  });
});

describe("links and forms", () => {
  it("refuse a tampered token, another approval's token, a forged form and a post from another site, and let the real one through", async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock });
    const first = await askReset(stack);
    const firstLink = lastLink(ISAIAH);
    const second = await stack.post("Password Reset", { "User Email": "diego.siciliani@contoso.com" }, BEN, ++ticket);
    const secondLink = lastLink(ISAIAH);
    expect(secondLink).not.toBe(firstLink);

    const token = new URL(firstLink).searchParams.get("t")!;
    const tampered = `${firstLink.split("?")[0]}?t=${encodeURIComponent(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))}`;
    expect((await stack.open(tampered)).status).toBe(403);
    expect(textOf((await stack.open(tampered)).html)).toContain("This link is not valid");
    const foreign = `${firstLink.split("?")[0]}?${new URL(secondLink).searchParams.toString()}`;
    const foreignPage = await stack.open(foreign);
    expect([foreignPage.status, textOf(foreignPage.html)]).toEqual([403, expect.stringContaining("This link belongs to another request")]);
    expect((await stack.open(`${firstLink.split("?")[0]}`)).status).toBe(403);

    const page = await stack.open(firstLink);
    const forged = { ...page, html: page.html.replace(/name="form" value="[^"]*"/, 'name="form" value="forged"') };
    expect((await stack.decide(forged, "approve")).status).toBe(403);
    const crossSite = await stack.decide(page, "approve", undefined, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect([crossSite.status, textOf(crossSite.html)]).toEqual([403, expect.stringContaining("This form could not be accepted")]);
    // A browser without Sec-Fetch-Site is judged by its Origin.
    const otherOrigin = await stack.decide(page, "approve", undefined, { origin: "https://evil.example" });
    expect([otherOrigin.status, textOf(otherOrigin.html)]).toEqual([403, expect.stringContaining("This form could not be accepted")]);
    await stack.continueRuns();
    expect(tenantWrites(sandbox, first.before)).toEqual([]);
    expect((await stack.getRun(first.runId)).body.status).toBe("awaiting_approval");

    expect((await stack.decide(page, "deny")).status).toBe(200);
    expect((await stack.getRun(second.body.runId)).body.status).toBe("awaiting_approval");
  });
});
