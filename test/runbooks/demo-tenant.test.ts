import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "../support/manual-clock";
import { startArmServer, type ArmServer } from "./support/arm-server";
import { driveStep, runbookServices } from "./support/drive-step";

let server: ArmServer;
beforeEach(async () => {
  server = await startArmServer();
});
afterEach(() => server.close());

const user = (upn: string) => server.tenant.users.find((candidate) => candidate.userPrincipalName === upn)!;

describe("runbooks against the sandbox's demo tenant", () => {
  it("converts a user mailbox to shared and hides it from the GAL, as offboarding does", async () => {
    const services = runbookServices(server.url, createManualClock(0));
    const upn = "isaiah.langer@contoso.com";
    expect(user(upn).mailbox?.type).toBe("UserMailbox");
    const convert = await driveStep({ runbook: "Convert-ToSharedMailbox", parameters: { UserPrincipalName: upn } }, { services, runId: "off-1", stepId: "convert" });
    const hide = await driveStep({ runbook: "Set-MailboxHiddenFromGal", parameters: { UserPrincipalName: upn } }, { services, runId: "off-1", stepId: "hide" });
    expect([convert.answer?.response, hide.answer?.response]).toMatchObject([{ status: "changed" }, { status: "changed" }]);
    expect(user(upn).mailbox).toMatchObject({ type: "SharedMailbox", hiddenFromAddressListsEnabled: true });
    expect(server.jobs.list().map((job) => job.runbook)).toEqual(["Convert-ToSharedMailbox", "Set-MailboxHiddenFromGal"]);
  });

  it("removes a member from every Exchange-managed group and leaves Graph-managed ones alone", async () => {
    const exchangeManaged = server.tenant.groups.filter((group) => group.mailEnabled && group.groupTypes.length === 0 && !group.onPremisesSyncEnabled);
    const member = exchangeManaged.flatMap((group) => group.members)[0]!;
    const upn = server.tenant.users.find((candidate) => candidate.id === member)!.userPrincipalName;
    const before = server.tenant.groups.filter((group) => group.members.includes(member)).map((group) => group.displayName);
    const result = await driveStep(
      { runbook: "Remove-DistributionGroupMembership", parameters: { UserPrincipalName: upn } },
      { services: runbookServices(server.url, createManualClock(0)), runId: "off-2", stepId: "dls" },
    );
    const removed = (result.answer?.response as { result: { removed: string[] } }).result.removed;
    expect(removed.length).toBeGreaterThan(0);
    const after = server.tenant.groups.filter((group) => group.members.includes(member)).map((group) => group.displayName);
    expect(after).toEqual(before.filter((name) => !removed.includes(name)));
    for (const group of server.tenant.groups.filter((candidate) => candidate.members.includes(member))) {
      expect(group.mailEnabled && group.groupTypes.length === 0 && !group.onPremisesSyncEnabled).toBe(false);
    }
  });
});
