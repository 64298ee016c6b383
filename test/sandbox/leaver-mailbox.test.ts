/**
 * What offboarding reads and changes beyond the directory, over real HTTP: inbox rules and the
 * OneDrive through Graph, mobile devices, meetings, folder permissions and the mailbox list
 * through the Exchange admin API. Each answer in the service's own shape and words.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, type Sandbox, type TenantFixture } from "../../sandbox";
import { DEMO, graph, startTestSandbox, type Answer } from "./helpers";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function fresh(): Promise<Sandbox> {
  sandbox ??= await startTestSandbox();
  return sandbox;
}

const TENANT = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

async function cmdlet(name: string, parameters: Record<string, unknown>): Promise<{ status: number; json: any }> {
  const box = await fresh();
  const answer = await fetch(`${box.exchangeBaseUrl}/adminapi/beta/${TENANT}/InvokeCommand`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sandbox" },
    body: JSON.stringify({ CmdletInput: { CmdletName: name, Parameters: parameters } }),
  });
  const text = await answer.text();
  return { status: answer.status, json: text ? JSON.parse(text) : undefined };
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  return graph(await fresh(), method, path, body);
}

const mailbox = (upn: string) => sandbox!.tenant.users.find((u) => u.userPrincipalName === upn)!.mailbox!;
const reason = (answer: { json: any }): string => answer.json.error.details[0].message;

describe("sandbox inbox rules (Graph messageRules)", () => {
  it("lists the Inbox's rules in sequence order as messageRule objects, and deletes one (204)", async () => {
    const listed = await call("GET", "/users/adele.vance@contoso.com/mailFolders/inbox/messageRules");
    expect(listed.status).toBe(200);
    expect(listed.body["@odata.context"]).toMatch(/\/\$metadata#users\('047a86fd-4f51-5e2f-a12d-75c370f133fd'\)\/mailFolders\('inbox'\)\/messageRules$/);
    expect(listed.body.value.map((rule: { displayName: string }) => rule.displayName)).toEqual(["Forward invoices", "Newsletters to Reading"]);
    expect(listed.body.value[0]).toMatchObject({ id: "AQAAAJ5dZp8=", sequence: 1, isEnabled: true, hasError: false, isReadOnly: false, actions: { forwardTo: [{ emailAddress: { address: "adele.v@outlook.com" } }] } });
    const deleted = await call("DELETE", `/users/${DEMO.adele}/mailFolders/Inbox/messageRules/AQAAAJ5dZp8=`);
    expect(deleted.status).toBe(204);
    expect(mailbox("adele.vance@contoso.com").inboxRules!.map((rule) => rule.id)).toEqual(["AQAAAJ5dZqA="]);
  });

  it("answers a rule already gone with the store's ErrorItemNotFound, and a user without a mailbox as mailboxSettings does", async () => {
    const gone = await call("DELETE", "/users/adele.vance@contoso.com/mailFolders/inbox/messageRules/AQAAAJ5dZZZ=");
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: "ErrorItemNotFound", message: "The specified object was not found in the store." });
    const noMailbox = await call("GET", "/users/it.admin@contoso.com/mailFolders/inbox/messageRules");
    expect(noMailbox.body.error.code).toBe("MailboxNotEnabledForRESTAPI");
    const ghost = await call("GET", "/users/ghost@contoso.com/mailFolders/inbox/messageRules");
    expect(ghost.status).toBe(404);
    expect((await call("GET", "/users/diego.siciliani@contoso.com/mailFolders/inbox/messageRules")).body.value).toEqual([]);
  });

  it("needs MailboxSettings.Read to list and MailboxSettings.ReadWrite to delete", async () => {
    const box = await startTestSandbox({ ...demoFixture(), permissions: ["MailboxSettings.Read"] });
    try {
      expect((await graph(box, "GET", "/users/adele.vance@contoso.com/mailFolders/inbox/messageRules")).status).toBe(200);
      const refused = await graph(box, "DELETE", "/users/adele.vance@contoso.com/mailFolders/inbox/messageRules/AQAAAJ5dZp8=");
      expect(refused.body.error.code).toBe("Authorization_RequestDenied");
    } finally {
      await box.close();
    }
  });
});

function demoFixture(): TenantFixture {
  return JSON.parse(readFileSync(DEMO_FIXTURE_PATH, "utf8")) as TenantFixture;
}

describe("sandbox OneDrive (drive, root permissions, invite)", () => {
  it("gives the drive, and 404 ResourceNotFound \"User's mysite not found.\" for a OneDrive never provisioned", async () => {
    const drive = await call("GET", "/users/adele.vance@contoso.com/drive");
    expect(drive.body).toMatchObject({ driveType: "business", webUrl: "https://contoso-my.sharepoint.com/personal/adele_vance_contoso_com/Documents", owner: { user: { id: DEMO.adele } } });
    const none = await call("GET", "/users/diego.siciliani@contoso.com/drive/root/permissions");
    expect(none.status).toBe(404);
    expect(none.body.error).toMatchObject({ code: "ResourceNotFound", message: "User's mysite not found." });
  });

  it("invites a colleague to the whole drive with write, and a second invite gives back the same permission", async () => {
    const body = { recipients: [{ email: "grace.taylor@contoso.com" }], roles: ["write"], requireSignIn: true, sendInvitation: false };
    const first = await call("POST", "/users/adele.vance@contoso.com/drive/root/invite", body);
    expect(first.status).toBe(200);
    expect(first.body.value).toEqual([
      expect.objectContaining({ roles: ["write"], grantedToV2: { user: { id: DEMO.grace, displayName: "Grace Taylor", email: "grace.taylor@contoso.com" } } }),
    ]);
    const again = await call("POST", "/users/adele.vance@contoso.com/drive/root/invite", body);
    expect(again.body.value[0].id).toBe(first.body.value[0].id);
    const listed = await call("GET", "/users/adele.vance@contoso.com/drive/root/permissions");
    expect(listed.body.value.map((p: { roles: string[]; grantedToV2: { user: { id: string } } }) => [p.grantedToV2.user.id, p.roles])).toEqual([
      [DEMO.adele, ["owner"]],
      [DEMO.grace, ["write"]],
    ]);
  });

  it("refuses an invite without recipients, with a role other than read or write, or to nobody in the tenant", async () => {
    const noOne = await call("POST", "/users/adele.vance@contoso.com/drive/root/invite", { recipients: [], roles: ["write"], requireSignIn: true });
    expect(noOne.body.error.code).toBe("invalidRequest");
    const owner = await call("POST", "/users/adele.vance@contoso.com/drive/root/invite", { recipients: [{ email: "grace.taylor@contoso.com" }], roles: ["owner"], requireSignIn: true });
    expect(owner.status).toBe(400);
    const stranger = await call("POST", "/users/adele.vance@contoso.com/drive/root/invite", { recipients: [{ email: "x@evil.example" }], roles: ["read"], requireSignIn: true });
    expect(stranger.status).toBe(400);
    expect(sandbox!.tenant.users.find((u) => u.id === DEMO.adele)!.drive!.rootPermissions).toHaveLength(1);
  });
});

describe("sandbox Exchange: mobile devices", () => {
  it("lists a mailbox's devices and removes one by its Guid; removing it again is Exchange's not-found", async () => {
    const listed = await cmdlet("Get-MobileDevice", { Mailbox: "adele.vance@contoso.com" });
    expect(listed.status).toBe(200);
    expect(listed.json.value).toEqual([
      expect.objectContaining({ Guid: "5b7a4d2e-8c61-4b1e-9a3f-2d7c5e9b1a04", FriendlyName: "Adele's iPhone", ClientType: "EAS", Identity: "adele.vance@contoso.com\\ExchangeActiveSyncDevices\\iPhone§F2K3J8Q9R1T4" }),
      expect.objectContaining({ Guid: "c9e1f3a7-2b4d-4e6f-8a1c-3d5b7f9e2c60", ClientType: "Outlook" }),
    ]);
    expect((await cmdlet("Remove-MobileDevice", { Identity: "5b7a4d2e-8c61-4b1e-9a3f-2d7c5e9b1a04" })).status).toBe(200);
    expect(mailbox("adele.vance@contoso.com").mobileDevices!.map((d) => d.friendlyName)).toEqual(["Outlook for Android"]);
    const again = await cmdlet("Remove-MobileDevice", { Identity: "5b7a4d2e-8c61-4b1e-9a3f-2d7c5e9b1a04" });
    expect(again.status).toBe(400);
    expect(reason(again)).toContain("ManagementObjectNotFoundException|The operation couldn't be performed because object '5b7a4d2e-8c61-4b1e-9a3f-2d7c5e9b1a04' couldn't be found");
    expect((await cmdlet("Get-MobileDevice", { Mailbox: "diego.siciliani@contoso.com" })).json.value).toEqual([]);
    expect((await cmdlet("Get-MobileDevice", { Mailbox: "it.admin@contoso.com" })).status).toBe(400);
  });
});

describe("sandbox Exchange: meetings and calendar permissions", () => {
  it("cancels only the future meetings the mailbox organised with attendees, inside the window, and writes no output", async () => {
    const answer = await cmdlet("Remove-CalendarEvents", { Identity: "adele.vance@contoso.com", CancelOrganizedMeetings: true, QueryWindowInDays: 730 });
    expect(answer.status).toBe(200);
    expect(answer.json.value).toEqual([]);
    expect(mailbox("adele.vance@contoso.com").calendarEvents!.map((event) => [event.subject, event.isCancelled])).toEqual([
      ["Marketing weekly", true],
      ["Focus time", false], // no attendees: an appointment, left alone
      ["Campaign review", false], // in the past
      ["Sales kickoff", false], // organised by someone else
    ]);
  });

  it("leaves meetings past the window, and refuses a window outside 1–1825 days or given as text", async () => {
    const short = await cmdlet("Remove-CalendarEvents", { Identity: "adele.vance@contoso.com", CancelOrganizedMeetings: true, QueryWindowInDays: 30 });
    expect(short.status).toBe(200);
    expect(mailbox("adele.vance@contoso.com").calendarEvents![0]!.isCancelled).toBe(false);
    expect((await cmdlet("Remove-CalendarEvents", { Identity: "adele.vance@contoso.com", QueryWindowInDays: 1826 })).status).toBe(400);
    const text = await cmdlet("Remove-CalendarEvents", { Identity: "adele.vance@contoso.com", QueryWindowInDays: "730" });
    expect(reason(text)).toContain("Cannot bind parameter 'QueryWindowInDays'");
    expect((await cmdlet("Remove-CalendarEvents", { Identity: "adele.vance@contoso.com" })).json.error.details[0].message).toContain("missing mandatory parameters: QueryWindowInDays");
  });

  it("removes a user's entry from another mailbox's Calendar folder; a second removal is UserNotFoundInPermissionEntryException", async () => {
    const removed = await cmdlet("Remove-MailboxFolderPermission", { Identity: "grace.taylor@contoso.com:\\Calendar", User: "adele.vance@contoso.com" });
    expect(removed.status).toBe(200);
    expect(mailbox("grace.taylor@contoso.com").calendarPermissions).toEqual([]);
    const again = await cmdlet("Remove-MailboxFolderPermission", { Identity: "grace.taylor@contoso.com:\\Calendar", User: "adele.vance@contoso.com" });
    expect(reason(again)).toBe("Ex3D6F6B|Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException|There is no existing permission entry found for user: Adele Vance.");
    expect((await cmdlet("Remove-MailboxFolderPermission", { Identity: "ghost@contoso.com:\\Calendar", User: "adele.vance@contoso.com" })).status).toBe(400);
    expect(mailbox("isaiah.langer@contoso.com").calendarPermissions!.map((entry) => entry.user)).toEqual(["adele.vance@contoso.com", "diego.siciliani@contoso.com"]);
  });
});

describe("sandbox Exchange: Full Access automapping", () => {
  it("maps a Full Access grant into the holder's Outlook unless AutoMapping is false; removal unmaps it", async () => {
    const grant = (user: string, extra: Record<string, unknown> = {}) => cmdlet("Add-MailboxPermission", { Identity: "adele.vance@contoso.com", User: user, AccessRights: ["FullAccess"], InheritanceType: "All", ...extra });
    expect((await grant("grace.taylor@contoso.com")).status).toBe(200);
    expect((await grant("diego.siciliani@contoso.com", { AutoMapping: false })).status).toBe(200);
    expect(mailbox("adele.vance@contoso.com")).toMatchObject({ fullAccess: ["grace.taylor@contoso.com", "diego.siciliani@contoso.com"], automapped: ["grace.taylor@contoso.com"] });
    await cmdlet("Remove-MailboxPermission", { Identity: "adele.vance@contoso.com", User: "grace.taylor@contoso.com", AccessRights: ["FullAccess"] });
    expect(mailbox("adele.vance@contoso.com")).toMatchObject({ fullAccess: ["diego.siciliani@contoso.com"], automapped: [] });
  });
});

describe("sandbox Exchange: Get-Mailbox", () => {
  it("lists every mailbox, or those of the types asked for, with the properties offboarding reads", async () => {
    const all = await cmdlet("Get-Mailbox", { ResultSize: "Unlimited" });
    expect(all.json.value.map((m: { UserPrincipalName: string }) => m.UserPrincipalName)).toContain("reception@contoso.com");
    expect(all.json.value).toHaveLength(sandbox!.tenant.users.filter((u) => u.mailbox).length);
    const shared = await cmdlet("Get-Mailbox", { RecipientTypeDetails: ["SharedMailbox"], ResultSize: "Unlimited" });
    expect(shared.json.value).toEqual([
      expect.objectContaining({ UserPrincipalName: "reception@contoso.com", ExternalDirectoryObjectId: DEMO.reception, RecipientTypeDetails: "SharedMailbox", GrantSendOnBehalfTo: ["Grace Taylor"] }),
      expect.objectContaining({ UserPrincipalName: "info@contoso.com", RecipientTypeDetails: "SharedMailbox", GrantSendOnBehalfTo: ["Grace Taylor"] }),
    ]);
    const one = await cmdlet("Get-Mailbox", { Identity: "johanna.lorenz@contoso.com" });
    expect(one.json.value[0]).toMatchObject({ ForwardingSmtpAddress: "smtp:finance-archive@contoso.com", DeliverToMailboxAndForward: true });
    expect((await cmdlet("Get-Mailbox", { Identity: "it.admin@contoso.com" })).status).toBe(400);
  });
});
