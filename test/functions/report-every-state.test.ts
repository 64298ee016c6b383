/**
 * Every state a run can be reported in reaches each PSA the way its own producer reports it, over
 * real HTTP: requester policy refusing a run, an approval asked and then denied on its page, an
 * approval nobody decided before it expired, a run scheduled for the leaver's last day, and a run
 * one of whose steps failed (partial). Each state is one internal and one customer-visible note on
 * the ticket, however often the webhook is delivered or the outbox is worked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PSA_KINDS, type PsaKind } from "../../engine/clients/psa";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startPsaSandboxes, type PsaSandboxes, type PsaServer } from "../../sandbox/psa";
import { approvalMails, SECRET, startApprovalStack, type ApprovalStack } from "../approvals/support/stack";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { SIGN_OUT_ONLY } from "../support/offboarding";
import { notesOn } from "./support/psa-notes";
import { psaSimulatorSettings } from "../../engine/hosts/local/dev-stack";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
let psas: PsaSandboxes;
let ticket = 86_000;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  psas = await startPsaSandboxes({ now: () => clock.now() });
});

afterAll(async () => {
  await psas?.close();
  await sandbox?.close();
  await azurite?.close();
});

const MEGAN = "megan.bowen@contoso.com";
const BEN = "ben.walters@contoso.com";
const ISAIAH = "isaiah.langer@contoso.com";
const pair = (...states: string[]) => [
  ...states.map((state) => ({ internal: true, state })),
  ...states.map((state) => ({ internal: false, state })),
];
const internalNote = (psa: PsaServer, id: number, state: string) => psa.tickets.list(id).find((n) => n.internal && n.text.endsWith(`/${state}/internal`))?.text ?? "";
const customerNote = (psa: PsaServer, id: number, state: string) => psa.tickets.list(id).find((n) => !n.internal && n.text.endsWith(`/${state}/customer`))?.text ?? "";

async function sandboxFaults(rules: unknown[] | undefined): Promise<void> {
  const answer = await fetch(`${sandbox.url}/_sandbox/faults`, rules ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rules }) } : { method: "DELETE" });
  expect(answer.status).toBeLessThan(300);
}

describe.each(PSA_KINDS)("every state on %s", (kind: PsaKind) => {
  let stack: ApprovalStack;
  const psa = () => psas[kind];
  beforeAll(async () => {
    stack = await startApprovalStack({ sandbox, azurite, clock, env: psaSimulatorSettings(psas, kind) });
  });
  afterAll(async () => { await stack?.close(); });

  it("refused by requester policy: one denied note of each kind, none more for a redelivery", async () => {
    const id = ++ticket;
    const answer = await stack.post("Password Reset", { "User Email": "it.admin@contoso.com" }, MEGAN, id);
    expect([answer.status, answer.body.status, answer.body.error?.code]).toEqual([403, "denied", "TARGET_PROTECTED"]);
    await stack.deliverReports();
    clock.advance(1_000);
    expect((await stack.post("Password Reset", { "User Email": "it.admin@contoso.com" }, MEGAN, id)).body).toMatchObject({ runId: answer.body.runId, status: "denied" });
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("denied"));
    expect(internalNote(psa(), id, "denied")).toContain("(TARGET_PROTECTED)");
    expect(customerNote(psa(), id, "denied")).toContain(answer.body.message);
  });

  it("an approval asked, then denied on its page: a waiting note, then a denied one naming the approver", async () => {
    const id = ++ticket;
    const fields = { "User Email": "miriam.graham@contoso.com" };
    const answer = await stack.post("Password Reset", fields, BEN, id);
    expect([answer.status, answer.body.status]).toEqual([202, "awaiting_approval"]);
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("awaiting_approval"));
    expect((await stack.post("Password Reset", fields, BEN, id)).body).toMatchObject({ runId: answer.body.runId, duplicate: true });

    const link = approvalMails(sandbox, ISAIAH).at(-1)?.link ?? "";
    expect((await stack.decide(await stack.open(link), "deny", "Miriam is on leave")).status).toBe(200);
    await stack.continueRuns();
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("awaiting_approval", "denied"));
    expect(internalNote(psa(), id, "denied")).toContain('Denied by Isaiah Langer (isaiah.langer@contoso.com)');
    expect(internalNote(psa(), id, "denied")).toContain('"Miriam is on leave"');
    expect(customerNote(psa(), id, "denied")).toContain("Your request was not approved by Isaiah Langer");
  });

  it("an approval nobody decided: a waiting note, then an expired one when the sweep ends it", async () => {
    const id = ++ticket;
    const answer = await stack.post("Password Reset", { "User Email": "miriam.graham@contoso.com" }, BEN, id);
    expect(answer.body.status).toBe("awaiting_approval");
    clock.advance(24 * 3_600_000);
    await stack.sweep();
    expect((await stack.getRun(answer.body.runId)).body.status).toBe("expired");
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("awaiting_approval", "expired"));
    expect(internalNote(psa(), id, "expired")).toContain("(APPROVAL_EXPIRED)");
    expect(customerNote(psa(), id, "expired")).toContain("not approved in time");
  });

  it("scheduled for the last day, moved to another day, then cancelled: a note of each kind per state of each run; the requester hears of the cancel only", async () => {
    const id = ++ticket;
    const fields = { ...SIGN_OUT_ONLY, "User Email": "adele.vance@contoso.com", "Last Day": "2027-01-15" };
    const answer = await stack.post("User Offboarding", fields, MEGAN, id);
    expect([answer.status, answer.body.status]).toEqual([202, "scheduled"]);
    expect((await stack.post("User Offboarding", fields, MEGAN, id)).body).toMatchObject({ runId: answer.body.runId, duplicate: true });
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("scheduled"));
    expect(internalNote(psa(), id, "scheduled")).toContain("The run starts on Friday 15 January 2027 at 17:00 (UTC).");
    expect(customerNote(psa(), id, "scheduled")).toContain(answer.body.message);

    const mailsAbout = () => sandbox.tenant.sentMail.filter((m) => m.message.toRecipients?.some((r) => r.emailAddress.address === MEGAN) && String(m.message.subject).includes(`ticket #${id}`));
    const moved = await stack.post("User Offboarding", { ...fields, "Last Day": "2027-01-22" }, MEGAN, id);
    expect(moved.body.status).toBe("scheduled");
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("cancelled", "scheduled", "scheduled"));
    expect(internalNote(psa(), id, "cancelled")).toContain(`Replaced by a newer request for the same ticket (run ${moved.body.runId}).`);
    expect(mailsAbout()).toEqual([]);

    expect((await fetch(`${stack.url}/api/runs/${moved.body.runId}/schedule`, { method: "DELETE", headers: { "x-intent-secret": SECRET } })).status).toBe(200);
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("cancelled", "cancelled", "scheduled", "scheduled"));
    expect(mailsAbout().map((m) => String(m.message.body?.content))).toEqual([expect.stringContaining("This scheduled request was cancelled; nothing more of it will happen.")]);
  });

  it("partial (a licence that could not be assigned): one partial note of each kind saying what was not done", async () => {
    const id = ++ticket;
    const upn = `mia.${kind}@contoso.com`;
    await sandboxFaults([{ kind: "error", method: "POST", path: "/v1.0/users/*/assignLicense" }]);
    try {
      const answer = await stack.post("New User Creation", {
        "Display Name": `Mia ${kind}`, Email: upn, "First Name": "Mia", "Last Name": kind, "License SKU": "SPB", "Group Memberships": "Marketing",
      }, MEGAN, id);
      expect(answer.body.status).toBe("partial");
    } finally {
      await sandboxFaults(undefined);
    }
    await stack.deliverReports();
    expect(notesOn(psa(), id)).toEqual(pair("partial"));
    const internal = internalNote(psa(), id, "partial");
    expect(internal).toContain("What was not done:");
    expect(internal).toMatch(/- license: failed/);
  });
});
