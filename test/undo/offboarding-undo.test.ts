/**
 * The shipped User Offboarding undone over real HTTP: the local adapter and real handlers, the run
 * store, run index and snapshots on Azurite, the shipped intents under the built-in requester
 * rules (destructive intents for the Service Desk), the sandbox tenant (Graph and Exchange's admin
 * API). What the undo restores is compared with the sandbox as it was before the offboarding; what
 * it does not restore must be reported, never silently skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerOf } from "./support/call";
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { webhook } from "../functions/support/harness";

const SECRET = "offboarding-undo-secret-7c1d";
const SERVICE_DESK = "megan.bowen@contoso.com";
const ADELE = "adele.vance@contoso.com";
const MIRIAM = "miriam.graham@contoso.com";
/** Every reversible option on, and the irreversible ones the undo must report; the rest off. */
const OPTIONS = {
  "Disable Sign-in": "Yes", "Revoke Sessions": "Yes", "Reset Password": "Yes", "Hide from Address Book": "Yes", "Remove from Groups": "Yes",
  "Remove Inbox Rules": "No", "Remove Mobile Devices": "No", "Cancel Future Meetings": "No", "Set Out of Office": "Yes", "Forward Mail": "Yes",
  "Give Mailbox Access": "Yes", "Give OneDrive Access": "No", "Remove Access to Other Mailboxes": "No", "Convert to Shared Mailbox": "Yes",
  "Remove MFA Methods": "Yes", "Remove Licenses": "Yes",
};
let azurite: RunningAzurite;
let sandbox: Sandbox;
let host: ComposedHost;
let server: LocalServer;
let ticket = 9100;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox();
  host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox-token", INTENT_SHARED_SECRET: SECRET,
    EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId, EXCHANGE_MODE: "api",
    NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    MAIL_SENDER: "isaiah.langer@contoso.com", HELPDESK_EMAIL: "grace.taylor@contoso.com",
    // Requester policy's built-in rules: destructive intents (offboarding, reinstating) for the Service Desk.
    AUTHORISED_REQUESTERS_GROUP: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2",
  }, { clock: createManualClock(Date.now()) });
  server = await startLocalServer({ routes: appRoutes(async () => host.deps), maxBodyBytes: MAX_BODY_BYTES, log: () => undefined });
});

afterAll(async () => {
  await server?.close();
  await host?.close();
  await sandbox?.close();
  await azurite?.close();
});

const call = callerOf(() => server, SECRET);

const userOf = (upn: string) => sandbox.tenant.users.find((u) => u.userPrincipalName === upn)!;
const groupNamed = (name: string) => sandbox.tenant.groups.find((g) => g.displayName === name)!;
/** Groups whose members Graph manages: the ones the undo adds the user back to. */
const graphManaged = (g: { groupTypes: string[]; mailEnabled: boolean; onPremisesSyncEnabled?: boolean | null }) =>
  !g.groupTypes.includes("DynamicMembership") && !g.onPremisesSyncEnabled && !(g.mailEnabled && !g.groupTypes.includes("Unified"));

/** What the offboarding changes and its undo restores, as the sandbox holds it. */
function reversibleState(upn: string) {
  const user = userOf(upn);
  const mailbox = user.mailbox!;
  return {
    enabled: user.accountEnabled,
    licenses: structuredClone([...user.assignedLicenses].sort((a, b) => a.skuId.localeCompare(b.skuId))),
    graphGroups: sandbox.tenant.groups.filter((g) => graphManaged(g) && g.members.includes(user.id)).map((g) => g.displayName).sort(),
    mailboxType: mailbox.type,
    hidden: mailbox.hiddenFromAddressListsEnabled,
    forwarding: mailbox.forwardingSmtpAddress,
    keepCopy: mailbox.deliverToMailboxAndForward,
    fullAccess: [...mailbox.fullAccess].sort(),
    autoReplies: structuredClone(mailbox.automaticReplies),
  };
}

const writes = () => sandbox.requests().filter((r) => (r.method !== "GET" && !r.path.endsWith("$batch") && !r.path.endsWith("InvokeCommand")) || (r.path.endsWith("InvokeCommand") && !/"CmdletName":"Get-/.test(JSON.stringify(r.body))));

async function offboard(upn: string): Promise<string> {
  const answer = await call("POST", "/api/intent", webhook("User Offboarding", { "User Email": upn, ...OPTIONS }, ticket++, SERVICE_DESK));
  expect(answer.body.status).toBe("succeeded");
  return answer.body.runId as string;
}

describe("User Offboarding's undo", () => {
  let runId: string;
  let before: ReturnType<typeof reversibleState>;

  it("plans the undo against the tenant as it is now: every reversible change, and what cannot come back", async () => {
    // Some licence plans off before, so the undo must bring back exactly those.
    const e3 = sandbox.tenant.skus.find((s) => s.skuPartNumber === "SPE_E3")!;
    userOf(ADELE).assignedLicenses = [{ skuId: e3.skuId, disabledPlans: [e3.servicePlans[1]!.servicePlanId] }];
    before = reversibleState(ADELE);
    runId = await offboard(ADELE);
    const after = reversibleState(ADELE);
    expect(after).toMatchObject({ enabled: false, licenses: [], mailboxType: "SharedMailbox", hidden: true, fullAccess: ["grace.taylor@contoso.com"] });
    expect(after.graphGroups).toEqual([]);
    expect(after.autoReplies.status).toBe("alwaysEnabled");
    expect(after.forwarding).toMatch(/grace\.taylor@contoso\.com/);

    const sent = writes().length;
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.status).toBe(200);
    expect(plan.body.plan.nothingToUndo).toBe(false);
    const lines: string[] = plan.body.plan.lines;
    for (const change of ["Let the user sign in again", "Assign the licences again", "Add the user to the group again", "Make the mailbox a user's mailbox again",
      "Show the mailbox in the address book again", "Forward the mail as before the offboarding", "Take back the Full Access given at the offboarding",
      "Put the automatic replies back as they were"]) {
      expect(lines.some((line) => line.startsWith(`${change}: `)), change).toBe(true);
    }
    expect(plan.body.plan.irreversible).toEqual([
      `${ADELE}'s sessions were revoked; they stay signed out until they sign in again.`,
      `${ADELE}'s password was reset (the new one went to the helpdesk); this undo does not bring the old one back: give them the new one or a Temporary Access Pass.`,
      `${ADELE}'s MFA methods were deleted; they register them again (a Temporary Access Pass lets them sign in to do so).`,
      `${ADELE} was removed from All Staff through Exchange; this undo does not add them back: do it in the Exchange admin center.`,
    ]);
    // A plan sends reads only.
    expect(writes().length).toBe(sent);
  });

  it("restores what is still as the run left it; a group someone re-added meanwhile is left alone and reported", async () => {
    const marketing = groupNamed("Marketing");
    marketing.members.push(userOf(ADELE).id);
    const sent = writes().length;
    const undone = await call("POST", `/api/runs/${runId}/undo`, { meta_data: { contact_email: SERVICE_DESK, contact_name: "Megan Bowen" } });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: "succeeded", undoOf: runId, message: `${ADELE} is back as they were before their offboarding, as far as it can be undone.` });
    expect(undone.body.undo.changedSince).toEqual([`${ADELE} was added to Marketing again since; left as it is.`]);
    expect(undone.body.undo.irreversible).toHaveLength(4);
    expect(reversibleState(ADELE)).toEqual(before);
    // Marketing was not written to: it was already as before.
    expect(writes().slice(sent).some((r) => r.path.includes(marketing.id))).toBe(false);
  });

  it("undone twice is a no-op: nothing is left to undo, nothing is sent", async () => {
    const sent = writes().length;
    const again = await call("POST", `/api/runs/${runId}/undo`, { meta_data: { contact_email: SERVICE_DESK } });
    expect(again.body.status).toBe("nothing_to_undo");
    expect(again.body.plan.undoneBy).toHaveLength(1);
    expect(writes().length).toBe(sent);
    expect(reversibleState(ADELE)).toEqual(before);
  });
});

describe("Reinstate User by webhook", () => {
  let miriamBefore: ReturnType<typeof reversibleState>;

  it("goes through requester policy: someone the rules do not allow is refused, and nothing is sent", async () => {
    miriamBefore = reversibleState(MIRIAM);
    await offboard(MIRIAM);
    const sent = writes().length;
    const refused = await call("POST", "/api/intent", webhook("Reinstate User", { "User Email": MIRIAM }, ticket++, ADELE));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("APPROVAL_REQUIRED");
    expect(writes().length).toBe(sent);
  });

  it("undoes the user's latest offboarding for the Service Desk, her own automatic replies back as they were, then finds nothing left", async () => {
    expect(reversibleState(MIRIAM)).toMatchObject({ enabled: false, mailboxType: "SharedMailbox" });
    expect(reversibleState(MIRIAM).autoReplies.internalReplyMessage).toMatch(/has left/);
    const reinstated = await call("POST", "/api/intent", webhook("Reinstate User", { "User Email": MIRIAM }, ticket++, SERVICE_DESK));
    expect(reinstated.body).toMatchObject({ status: "succeeded", message: `${MIRIAM} is reinstated as they were before their offboarding, as far as it can be undone.` });
    // Miriam's own automatic replies were on before the offboarding: they are hers again.
    expect(miriamBefore.autoReplies.status).toBe("alwaysEnabled");
    expect(reversibleState(MIRIAM)).toEqual(miriamBefore);
    expect(reinstated.body.outputs.notReversible).toContain(`${MIRIAM}'s sessions were revoked; they stay signed out until they sign in again.`);

    const again = await call("POST", "/api/intent", webhook("Reinstate User", { "User Email": MIRIAM }, ticket++, SERVICE_DESK));
    expect(again.body).toMatchObject({ status: "succeeded", steps: [{ id: "reinstate", status: "ok" }] });
  });

  it("fails with its own code for a user who was never offboarded", async () => {
    const answer = await call("POST", "/api/intent", webhook("Reinstate User", { "User Email": "johanna.lorenz@contoso.com" }, ticket++, SERVICE_DESK));
    expect(answer.body).toMatchObject({ status: "failed", error: { code: "NOT_OFFBOARDED" } });
  });
});
