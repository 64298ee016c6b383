import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunbookStepInput } from "../../engine/kinds/automation/runbook";
import { startArmServer, type ArmServer } from "./support/arm-server";
import { createManualClock } from "../support/manual-clock";
import { driveStep, runbookServices } from "./support/drive-step";
import { runbookTenant } from "./support/tenant";
import { effectsFrom } from "../../sandbox/arm/runbook-effects";

let server: ArmServer;
let runs = 0;

beforeEach(async () => {
  server = await startArmServer(runbookTenant());
  server.jobs.options.pollsToComplete = 1;
});
afterEach(() => server.close());

/** Runs one runbook step as a fresh run and returns its result line (or the failure). */
async function run(input: RunbookStepInput): Promise<Record<string, unknown>> {
  const result = await driveStep(input, { services: runbookServices(server.url, createManualClock(Date.UTC(2026, 0, 1))), runId: `run-${++runs}`, stepId: "step" });
  if (result.error) return { status: "failed", code: result.error.code, reason: result.error.message };
  return (result.answer!.response as { result: Record<string, unknown> }).result;
}

const mailboxOf = (id: string) => server.tenant.users.find((user) => user.id === id)!.mailbox!;
const permission = (UserEmail: string, PermissionType: string, Action: string): RunbookStepInput => ({
  runbook: "Set-SharedMailboxPermission",
  parameters: { SharedMailboxEmail: "sales@contoso.com", UserEmail, PermissionType, Action },
});

describe("runbook effects on the sandbox tenant (same semantics as the PowerShell)", () => {
  it("grants SendOnBehalf once, then answers ok; an existing delegate stored by object id is recognised", async () => {
    expect(await run(permission("alex@contoso.com", "SendOnBehalf", "Grant"))).toMatchObject({ status: "changed" });
    expect(await run(permission("ALEX@contoso.com", "SendOnBehalf", "Grant"))).toMatchObject({ status: "ok" });
    expect(mailboxOf("u-sales").sendOnBehalf).toEqual(["u-bea", "alex@contoso.com"]);
    // Bea is stored as "u-bea": the seed's e-mail comparison never matched such an entry.
    expect(await run(permission("bea@contoso.com", "SendOnBehalf", "Grant"))).toMatchObject({ status: "ok" });
    expect(await run(permission("bea@contoso.com", "SendOnBehalf", "Revoke"))).toMatchObject({ status: "changed" });
    expect(mailboxOf("u-sales").sendOnBehalf).toEqual(["alex@contoso.com"]);
    expect(await run(permission("bea@contoso.com", "SendOnBehalf", "Revoke"))).toMatchObject({ status: "ok", reason: "bea@contoso.com does not have SendOnBehalf on sales@contoso.com." });
  });

  it("revokes FullAccess held under another spelling and grants SendAs, ValidateSet ignoring case", async () => {
    expect(await run(permission("bea@contoso.com", "fullaccess", "revoke"))).toMatchObject({ status: "changed", permission: "FullAccess", action: "Revoke" });
    expect(mailboxOf("u-sales").fullAccess).toEqual([]);
    expect(await run(permission("alex@contoso.com", "SendAs", "Grant"))).toMatchObject({ status: "changed" });
    expect(mailboxOf("u-sales").sendAs).toEqual(["alex@contoso.com"]);
  });

  it("fails a permission change for an unknown user with Exchange's reason and changes nothing", async () => {
    const result = await run(permission("ghost@contoso.com", "FullAccess", "Grant"));
    expect(result).toMatchObject({ status: "failed", code: "RUNBOOK_FAILED" });
    expect(result.reason).toContain("'ghost@contoso.com' couldn't be found");
    expect(mailboxOf("u-sales").fullAccess).toEqual(["BEA@contoso.com"]);
  });

  it("removes a user from distribution lists and mail-enabled security groups only, reporting synced ones", async () => {
    const result = await run({ runbook: "Remove-DistributionGroupMembership", parameters: { UserPrincipalName: "alex@contoso.com" } });
    expect(result).toMatchObject({ status: "changed", removed: ["All Staff", "Finance Approvers"], skipped: ["Legacy DL (synced from on-premises)"] });
    const membersOf = (id: string) => server.tenant.groups.find((group) => group.id === id)!.members;
    expect(membersOf("g-dl")).toEqual(["u-bea"]);
    expect(membersOf("g-m365")).toEqual(["u-alex"]);
    expect(membersOf("g-sec")).toEqual(["u-alex"]);
    expect(membersOf("g-synced")).toEqual(["u-alex"]);
    expect(await run({ runbook: "Remove-DistributionGroupMembership", parameters: { UserPrincipalName: "alex@contoso.com" } })).toMatchObject({ status: "ok", removed: [] });
  });

  it("hides from the GAL and sets, keeps and clears forwarding idempotently", async () => {
    const hide = { runbook: "Set-MailboxHiddenFromGal", parameters: { UserPrincipalName: "alex@contoso.com" } };
    expect(await run(hide)).toMatchObject({ status: "changed", hidden: true });
    expect(await run(hide)).toMatchObject({ status: "ok" });
    expect(mailboxOf("u-alex").hiddenFromAddressListsEnabled).toBe(true);

    const forward = (ForwardingAddress: string, DeliverToMailboxAndForward = "true"): RunbookStepInput => ({
      runbook: "Set-MailboxForwarding",
      parameters: { UserPrincipalName: "alex@contoso.com", ForwardingAddress, DeliverToMailboxAndForward },
    });
    expect(await run(forward("manager@contoso.com"))).toMatchObject({ status: "changed" });
    expect(mailboxOf("u-alex")).toMatchObject({ forwardingSmtpAddress: "manager@contoso.com", deliverToMailboxAndForward: true });
    expect(await run(forward("MANAGER@contoso.com"))).toMatchObject({ status: "ok" });
    expect(await run(forward("manager@contoso.com", "false"))).toMatchObject({ status: "changed" });
    expect(await run(forward(""))).toMatchObject({ status: "changed", forwardingSmtpAddress: null });
    expect(mailboxOf("u-alex").forwardingSmtpAddress).toBeNull();
    expect(await run(forward(""))).toMatchObject({ status: "ok" });
  });
});

describe("a new runbook's sandbox effect", () => {
  it("is data alone: a manifest entry and an effect entry, its cases chosen by parameter, its result line worded by the data", () => {
    const manifest = {
      "Set-MailboxVisibility": {
        description: "Shows or hides a mailbox in the address lists.",
        parameters: { UserPrincipalName: { required: true }, Visible: { required: true, enum: ["true", "false"] } },
      },
    };
    const data = {
      effects: {
        "Set-MailboxVisibility": {
          cases: [
            {
              when: { Visible: "false" },
              mailbox: "{UserPrincipalName}",
              change: { hiddenFromAddressLists: true },
              reasons: { changed: "{UserPrincipalName} is hidden now.", ok: "{UserPrincipalName} was hidden already." },
              detail: { mailbox: "{UserPrincipalName}", hidden: true },
            },
            {
              mailbox: "{UserPrincipalName}",
              change: { hiddenFromAddressLists: false },
              reasons: { changed: "{UserPrincipalName} shows again.", ok: "{UserPrincipalName} was shown already." },
            },
          ],
        },
      },
    };
    const effect = effectsFrom(JSON.parse(JSON.stringify(data)), manifest)["Set-MailboxVisibility"]!;
    const tenant = runbookTenant();
    const alex = () => tenant.users.find((user) => user.id === "u-alex")!.mailbox!;
    expect(effect(tenant, { UserPrincipalName: "alex@contoso.com", Visible: "FALSE" }, 0)).toEqual({ status: "changed", reason: "alex@contoso.com is hidden now.", mailbox: "alex@contoso.com", hidden: true });
    expect(alex().hiddenFromAddressListsEnabled).toBe(true);
    expect(effect(tenant, { UserPrincipalName: "alex@contoso.com", Visible: "false" }, 0)).toMatchObject({ status: "ok", reason: "alex@contoso.com was hidden already." });
    expect(effect(tenant, { UserPrincipalName: "alex@contoso.com", Visible: "true" }, 0)).toEqual({ status: "changed", reason: "alex@contoso.com shows again." });
    expect(alex().hiddenFromAddressListsEnabled).toBe(false);
    // No mailbox: Exchange's own answer, and nothing changes.
    expect(effect(tenant, { UserPrincipalName: "nomail@contoso.com", Visible: "false" }, 0)).toMatchObject({ status: "failed" });
  });
});
