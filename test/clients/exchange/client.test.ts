/**
 * The Exchange admin API client over real HTTP: against the sandbox's InvokeCommand (answers,
 * error bodies, warnings, throttling, refusals) and against a scripted server where a test needs
 * to see headers or pages the sandbox never produces.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createExchangeClient, type ExchangeClient } from "../../../engine/clients/exchange";
import { IntentError } from "../../../engine/core/errors";
import { startSandbox, type FaultRuleInput, type Sandbox, type TenantFixture } from "../../../sandbox";
import { DEMO_FIXTURE_PATH } from "../../../sandbox";
import { readFileSync } from "node:fs";
import { createManualClock, type ManualClock } from "../../support/manual-clock";
import { startScriptedServer, type ScriptedServer } from "../graph/scripted-server";

const DEMO = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, "utf8")) as TenantFixture;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function sandboxWith(fixture: Partial<TenantFixture> = {}, clock?: ManualClock): Promise<{ sandbox: Sandbox; client: ExchangeClient; clock: ManualClock }> {
  const time = clock ?? createManualClock(Date.UTC(2026, 0, 5, 9));
  const sandbox = await startSandbox({ fixture: { ...DEMO, ...fixture }, now: time.now });
  const client = createExchangeClient({ baseUrl: sandbox.exchangeBaseUrl, tenantId: DEMO.tenantId, tokens: { getToken: async () => "sandbox-exchange-token" }, clock: time, random: () => 0.5 });
  closers.push(() => sandbox.close(), () => client.close());
  return { sandbox, client, clock: time };
}

async function fault(sandbox: Sandbox, rule: FaultRuleInput): Promise<void> {
  const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  expect(answer.status).toBe(201);
}

const mailbox = (sandbox: Sandbox, upn: string) => sandbox.tenant.users.find((u) => u.userPrincipalName === upn)!.mailbox!;

describe("Exchange admin API client against the sandbox", () => {
  it("runs a cmdlet, and learns 'already so' from Exchange's warning on the second run", async () => {
    const { sandbox, client } = await sandboxWith();
    const first = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "shared" } });
    expect(first).toMatchObject({ status: 200, value: [], warnings: [], attempts: 1 });
    expect(first.code).toBeUndefined();
    expect(mailbox(sandbox, "adele.vance@contoso.com").type).toBe("SharedMailbox");

    const again = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } });
    expect(again.status).toBe(200);
    expect(again.code).toBe("EXCHANGE_ALREADY_DONE");
    expect(again.message).toBe("The command completed successfully but no settings of 'adele.vance@contoso.com' have been modified.");

    const [logged] = sandbox.requests();
    expect(logged).toMatchObject({ method: "POST", path: `/adminapi/beta/${DEMO.tenantId}/InvokeCommand`, status: 200 });
    // Enum values go out in their canonical spelling.
    expect(logged!.body).toEqual({ CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } } });
  });

  it("maps Exchange's error details to stable codes with Exchange's own words", async () => {
    const { client } = await sandboxWith();
    const missing = await client.invoke({ cmdlet: "Add-MailboxPermission", parameters: { Identity: "ghost@contoso.com", User: "grace.taylor@contoso.com", AccessRights: "FullAccess" } });
    expect(missing).toMatchObject({
      status: 400,
      code: "EXCHANGE_NOT_FOUND",
      exception: "ManagementObjectNotFoundException",
      message: "The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on 'SANDBOX01A001.PROD.OUTLOOK.COM'.",
    });
    const notMember = await client.invoke({ cmdlet: "Remove-DistributionGroupMember", parameters: { Identity: "allstaff@contoso.com", Member: "it.admin@contoso.com", BypassSecurityGroupManagerCheck: true } });
    expect(notMember).toMatchObject({ status: 400, code: "EXCHANGE_ALREADY_DONE", exception: "MemberNotFoundException" });
    expect(notMember.message).toContain(`isn't a member of the group "All Staff"`);
  });

  it("hands a Send on Behalf change over as Exchange's GenericHashTable, empty entries dropped", async () => {
    const { sandbox, client } = await sandboxWith();
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "reception@contoso.com", GrantSendOnBehalfTo: { add: "", remove: ["grace.taylor@contoso.com"] } } });
    expect(answer.status).toBe(200);
    expect(sandbox.requests()[0]!.body).toEqual({
      CmdletInput: { CmdletName: "Set-Mailbox", Parameters: { Identity: "reception@contoso.com", GrantSendOnBehalfTo: { "@odata.type": "#Exchange.GenericHashTable", remove: ["grace.taylor@contoso.com"] } } },
    });
    expect(mailbox(sandbox, "reception@contoso.com").sendOnBehalf).toEqual([]);
  });

  it("refuses a cmdlet or a parameter outside the allowed list without sending anything", async () => {
    const { sandbox, client } = await sandboxWith();
    const refusals = [
      client.invoke({ cmdlet: "New-InboxRule", parameters: { Mailbox: "adele.vance@contoso.com", ForwardTo: "attacker@evil.example" } }),
      client.invoke({ cmdlet: "Remove-Mailbox", parameters: { Identity: "adele.vance@contoso.com" } }),
      client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", ForwardingAddress: "attacker@evil.example" } }),
      client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Room" } }),
      client.invoke({ cmdlet: "Add-MailboxPermission", parameters: { Identity: "reception@contoso.com", User: "x@contoso.com", AccessRights: ["FullAccess"], Owner: "x" } }),
    ];
    for (const refusal of refusals) {
      const error = await refusal.then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(IntentError);
      expect((error as IntentError).code).toBe("EXCHANGE_CMDLET_REFUSED");
    }
    expect(sandbox.requests()).toEqual([]);
  });

  it("reads a bodiless 403 (a cmdlet outside the app's Exchange roles) as permission denied", async () => {
    const { client } = await sandboxWith({ exchangeCmdlets: ["Set-Mailbox"] });
    const answer = await client.invoke({ cmdlet: "Add-RecipientPermission", parameters: { Identity: "reception@contoso.com", Trustee: "grace.taylor@contoso.com", AccessRights: "SendAs" } });
    expect(answer).toMatchObject({ status: 403, code: "EXCHANGE_PERMISSION_DENIED" });
    expect(answer.message).toMatch(/403 without a body/);
    const noRole = await (await sandboxWith({ permissions: ["User.Read.All"] })).client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } });
    expect(noRole).toMatchObject({ status: 401, code: "EXCHANGE_PERMISSION_DENIED" });
  });

  it("honours Retry-After on a 429: waits the window on the clock, then resends", async () => {
    const { sandbox, client, clock } = await sandboxWith();
    await fault(sandbox, { kind: "throttle", path: "/adminapi/*", times: 2, retryAfter: 7 });
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", HiddenFromAddressListsEnabled: true } });
    expect(answer).toMatchObject({ status: 200, attempts: 3 });
    expect(clock.sleeps).toEqual([7_000, 7_000]);
    const log = sandbox.requests();
    expect(log.map((entry) => entry.status)).toEqual([429, 429, 200]);
    for (let i = 1; i < log.length; i++) expect(Date.parse(log[i]!.time) - Date.parse(log[i - 1]!.time)).toBeGreaterThanOrEqual(7_000);
    expect(mailbox(sandbox, "adele.vance@contoso.com").hiddenFromAddressListsEnabled).toBe(true);
  });

  it("answers EXCHANGE_THROTTLED with the last 429 when throttling outlasts every retry, and changes nothing", async () => {
    const { sandbox, client } = await sandboxWith();
    await fault(sandbox, { kind: "throttle", path: "/adminapi/*", retryAfter: 1 });
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } });
    expect(answer).toMatchObject({ status: 429, code: "EXCHANGE_THROTTLED", attempts: 5 });
    expect(mailbox(sandbox, "adele.vance@contoso.com").type).toBe("UserMailbox");
  });

  it("resends an idempotent cmdlet after a 504 and a dropped connection", async () => {
    const { sandbox, client } = await sandboxWith();
    await fault(sandbox, { kind: "timeout", path: "/adminapi/*", times: 1 });
    await fault(sandbox, { kind: "reset", path: "/adminapi/*", times: 1 });
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } });
    expect(answer.status).toBe(200);
    expect(sandbox.requests().map((entry) => entry.status)).toEqual([504, 0, 200]);
  });
});

describe("Exchange admin API client when Exchange applied the change but the answer was lost", () => {
  it("resends after a 504 that followed the change, and learns from the second answer that it is already so", async () => {
    const { sandbox, client } = await sandboxWith();
    await fault(sandbox, { kind: "timeout", path: "/adminapi/*", times: 1, afterApply: true });
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "adele.vance@contoso.com", Type: "Shared" } });
    expect(answer).toMatchObject({ status: 200, code: "EXCHANGE_ALREADY_DONE", attempts: 2 });
    expect(sandbox.requests().map((entry) => [entry.status, entry.appliedStatus])).toEqual([[504, 200], [200, undefined]]);
    expect(mailbox(sandbox, "adele.vance@contoso.com").type).toBe("SharedMailbox");
  });
});

describe("Exchange admin API client on the wire", () => {
  let server: ScriptedServer;

  it("sends the token, the anchor mailbox and the page size; follows @odata.nextLink with the same command", async () => {
    server = await startScriptedServer((request, index) =>
      index === 0
        ? { status: 200, body: { "@adminapi.warnings": ["first page warning"], value: [{ n: 1 }], "@odata.nextLink": `${server.origin}/adminapi/beta/t1/InvokeCommand?$skiptoken=2` } }
        : { status: 200, body: { "@adminapi.warnings": [], value: [{ n: 2 }] } },
    );
    const client = createExchangeClient({ baseUrl: server.origin, tenantId: "t1", tokens: { getToken: async () => "tok" } });
    closers.push(() => server.close(), () => client.close());
    const answer = await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "a@contoso.com", Type: "Shared" }, anchorMailbox: "a@contoso.com" });
    expect(answer).toMatchObject({ status: 200, value: [{ n: 1 }, { n: 2 }], warnings: ["first page warning"], attempts: 2 });
    const [first, second] = server.requests;
    expect(first!.headers).toMatchObject({ authorization: "Bearer tok", "x-anchormailbox": "UPN:a@contoso.com", prefer: "odata.maxpagesize=1000", "x-cmdletname": "Set-Mailbox" });
    expect(second!.rawUrl).toBe("/adminapi/beta/t1/InvokeCommand?$skiptoken=2");
    expect(second!.body).toEqual(first!.body);
  });

  it("reports each call as an exchange.request event, without parameters or tokens", async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { value: [] } }));
    const events: Array<[string, Record<string, unknown>]> = [];
    const client = createExchangeClient({ baseUrl: server.origin, tenantId: "t1", tokens: { getToken: async () => "secret-token-value" }, events: (event, fields) => void events.push([event, fields]) });
    closers.push(() => server.close(), () => client.close());
    await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "a@contoso.com", Type: "Shared" } });
    expect(events).toEqual([["exchange.request", expect.objectContaining({ method: "POST", path: "InvokeCommand Set-Mailbox", status: 200, attempts: 1 })]]);
    expect(JSON.stringify(events)).not.toMatch(/secret-token-value|a@contoso\.com/);
  });

  it("anchors app-only calls on the tenant's system mailbox, tenant read from the token when not configured", async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { value: [] } }));
    const payload = Buffer.from(JSON.stringify({ tid: "2f4a9e1c-0000-4000-8000-000000000001" })).toString("base64url");
    const client = createExchangeClient({ baseUrl: server.origin, tokens: { getToken: async () => `eyJhbGciOiJub25lIn0.${payload}.` } });
    closers.push(() => server.close(), () => client.close());
    await client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "a@contoso.com", Type: "Shared" } });
    expect(server.requests[0]!.path).toBe("/adminapi/beta/2f4a9e1c-0000-4000-8000-000000000001/InvokeCommand");
    expect(server.requests[0]!.headers["x-anchormailbox"]).toBe("APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@2f4a9e1c-0000-4000-8000-000000000001");
  });

  it("never follows a page link to another host, and refuses a header that smuggles a line break", async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { value: [], "@odata.nextLink": "https://elsewhere.example/adminapi/beta/t1/InvokeCommand" } }));
    const client = createExchangeClient({ baseUrl: server.origin, tenantId: "t1", tokens: { getToken: async () => "tok" } });
    closers.push(() => server.close(), () => client.close());
    await expect(client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "a@contoso.com", Type: "Shared" } })).rejects.toMatchObject({ code: "EXCHANGE_ERROR" });
    await expect(client.invoke({ cmdlet: "Set-Mailbox", parameters: { Identity: "a@contoso.com", Type: "Shared" }, anchorMailbox: "a@contoso.com\r\nX-Evil: 1" })).rejects.toMatchObject({ code: "STEP_INPUT_INVALID" });
    expect(server.requests).toHaveLength(1);
  });
});
