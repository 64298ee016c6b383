/** The sandbox's Exchange admin API over plain HTTP: shapes, binding, refusals, and its contract. */
import { afterEach, describe, expect, it } from "vitest";
import { EXCHANGE_CMDLETS } from "../../engine/contracts/exchange-cmdlets";
import type { Sandbox } from "../../sandbox";
import { CMDLET_HANDLERS } from "../../sandbox/exchange/cmdlets";
import { DEMO, startTestSandbox } from "./helpers";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const TENANT = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

async function invoke(body: unknown, options: { tenant?: string; token?: string | null; method?: string } = {}): Promise<{ status: number; text: string; json: any }> {
  sandbox ??= await startTestSandbox();
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? "sandbox"}`;
  const answer = await fetch(`${sandbox.exchangeBaseUrl}/adminapi/beta/${options.tenant ?? TENANT}/InvokeCommand`, {
    method: options.method ?? "POST",
    headers,
    ...(options.method === "GET" ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await answer.text();
  return { status: answer.status, text, json: text ? JSON.parse(text) : undefined };
}

const user = (upn: string) => sandbox!.tenant.users.find((u) => u.userPrincipalName === upn)!;

describe("sandbox Exchange admin API", () => {
  it("implements exactly the engine's allowed cmdlets", () => {
    expect(Object.keys(CMDLET_HANDLERS).sort()).toEqual(Object.keys(EXCHANGE_CMDLETS).sort());
  });

  it("answers a cmdlet with value and @adminapi.warnings, binding names ignoring case", async () => {
    const answer = await invoke({ CmdletInput: { CmdletName: "add-mailboxpermission", Parameters: { identity: "reception@contoso.com", USER: "grace.taylor@contoso.com", AccessRights: ["FullAccess"] } } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      "@odata.context": `${sandbox!.url}/adminapi/beta/${TENANT}/$metadata#Collection(Exchange.GenericHashTable)`,
      "adminapi.warnings@odata.type": "#Collection(String)",
      "@adminapi.warnings": [],
      value: [{ Identity: "reception@contoso.com", User: "grace.taylor@contoso.com", AccessRights: ["FullAccess"], IsInherited: false, Deny: false, InheritanceType: "All" }],
    });
    expect(user("reception@contoso.com").mailbox!.fullAccess).toContain("grace.taylor@contoso.com");
  });

  it("lists a mailbox's Full Access holders with Get-MailboxPermission, its SELF entry first, one holder by -User", async () => {
    const all = await invoke({ CmdletInput: { CmdletName: "Get-MailboxPermission", Parameters: { Identity: "info@contoso.com" } } });
    expect(all.status).toBe(200);
    expect(all.json.value.map((entry: { User: string }) => entry.User)).toEqual(["NT AUTHORITY\\SELF", "adele.vance@contoso.com", "ben.walters@contoso.com"]);
    expect(all.json.value[1]).toEqual({ Identity: "Contoso Info", User: "adele.vance@contoso.com", AccessRights: ["FullAccess"], IsInherited: false, Deny: false, InheritanceType: "All" });
    const one = await invoke({ CmdletInput: { CmdletName: "Get-MailboxPermission", Parameters: { Identity: "info@contoso.com", User: "ben.walters@contoso.com" } } });
    expect(one.json.value.map((entry: { User: string }) => entry.User)).toEqual(["ben.walters@contoso.com"]);
    const none = await invoke({ CmdletInput: { CmdletName: "Get-MailboxPermission", Parameters: { Identity: "info@contoso.com", User: "grace.taylor@contoso.com" } } });
    expect(none.json.value).toEqual([]);
  });

  it("words a cmdlet failure as Exchange does: Error executing cmdlet, the reason in details", async () => {
    const answer = await invoke({ CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "it.admin@contoso.com", Type: "Shared" } } });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toBe("Error executing cmdlet");
    expect(answer.json.error.details).toEqual([
      {
        code: "Client",
        target: "",
        message: "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'it.admin@contoso.com' couldn't be found on 'SANDBOX01A001.PROD.OUTLOOK.COM'.",
      },
    ]);
  });

  it("refuses what PowerShell would not bind, and changes nothing", async () => {
    const unknown = await invoke({ CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "adele.vance@contoso.com", Type: "Shared", ForwardingAddress: "x@evil.example" } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details[0].message).toContain("ParameterBindingException|A parameter cannot be found that matches parameter name 'ForwardingAddress'.");
    const wrongType = await invoke({ CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "adele.vance@contoso.com", HiddenFromAddressListsEnabled: "yes" } } });
    expect(wrongType.status).toBe(400);
    const missing = await invoke({ CmdletInput: { CmdletName: "Remove-DistributionGroupMember", Parameters: { Identity: "allstaff@contoso.com" } } });
    expect(missing.json.error.details[0].message).toContain("missing mandatory parameters: Member");
    expect(user("adele.vance@contoso.com").mailbox).toMatchObject({ type: "UserMailbox", hiddenFromAddressListsEnabled: false });
  });

  it("answers a cmdlet it does not know, or the app's roles do not hold, with a bodiless 403", async () => {
    const answer = await invoke({ CmdletInput: { CmdletName: "New-InboxRule", Parameters: { Mailbox: "adele.vance@contoso.com", ForwardTo: "x@evil.example" } } });
    expect(answer).toMatchObject({ status: 403, text: "" });
  });

  it("refuses a missing or expired token, another tenant, a bad body and a GET", async () => {
    const body = { CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } } };
    expect((await invoke(body, { token: null })).status).toBe(401);
    expect((await invoke(body, { token: "expired" })).status).toBe(401);
    expect((await invoke(body, { tenant: "fabrikam.com" })).status).toBe(404);
    expect((await invoke(body, { tenant: "contoso.onmicrosoft.com" })).status).toBe(200);
    expect((await invoke("{not json")).status).toBe(400);
    expect((await invoke({ Cmdlet: "Set-Mailbox" })).status).toBe(400);
    expect((await invoke(undefined, { method: "GET" })).status).toBe(405);
  });

  it("removes a member from a distribution list by the group's id, and refuses a synced one", async () => {
    const removed = await invoke({ CmdletInput: { CmdletName: "Remove-DistributionGroupMember", Parameters: { Identity: DEMO.allStaff, Member: "adele.vance@contoso.com" } } });
    expect(removed.status).toBe(200);
    expect(sandbox!.tenant.groups.find((g) => g.id === DEMO.allStaff)!.members).not.toContain(DEMO.adele);
    sandbox!.tenant.groups.find((g) => g.id === DEMO.allStaff)!.onPremisesSyncEnabled = true;
    const synced = await invoke({ CmdletInput: { CmdletName: "Remove-DistributionGroupMember", Parameters: { Identity: "allstaff@contoso.com", Member: "ben.walters@contoso.com" } } });
    expect(synced.status).toBe(400);
    expect(synced.json.error.details[0].message).toContain("is being synchronized from your on-premises organization");
  });
});
