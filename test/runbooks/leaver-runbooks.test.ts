/**
 * The runbook twins of what offboarding does through the Exchange admin API (devices, meetings,
 * rights on other mailboxes, Full Access with or without automapping), against the demo tenant's
 * leaver: each leaves the mailboxes as the admin API's cmdlets would, then answers ok (or, for
 * meetings, changed: Exchange says nothing of what it cancelled).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunbookStepInput } from "../../engine/kinds/automation/runbook";
import { createManualClock } from "../support/manual-clock";
import { startArmServer, type ArmServer } from "./support/arm-server";
import { driveStep, runbookServices } from "./support/drive-step";

const NOW = Date.UTC(2026, 0, 5, 9);
let server: ArmServer;
let runs = 0;
beforeEach(async () => {
  server = await startArmServer(undefined, () => NOW);
  server.jobs.options.pollsToComplete = 1;
});
afterEach(() => server.close());

async function run(input: RunbookStepInput): Promise<Record<string, unknown>> {
  const result = await driveStep(input, { services: runbookServices(server.url, createManualClock(NOW)), runId: `leaver-${++runs}`, stepId: "step" });
  if (result.error) return { status: "failed", code: result.error.code, reason: result.error.message };
  return (result.answer!.response as { result: Record<string, unknown> }).result;
}

const mailbox = (upn: string) => server.tenant.users.find((user) => user.userPrincipalName === upn)!.mailbox!;
const ADELE = "adele.vance@contoso.com";

describe("offboarding's runbook twins on the demo tenant", () => {
  it("Remove-MobileDevices removes every partnership, then finds none", async () => {
    expect(await run({ runbook: "Remove-MobileDevices", parameters: { UserPrincipalName: ADELE } })).toMatchObject({
      status: "changed", removed: ["Adele's iPhone", "Outlook for Android"], reason: `2 mobile device(s) no longer sync ${ADELE}.`,
    });
    expect(mailbox(ADELE).mobileDevices).toEqual([]);
    expect(await run({ runbook: "Remove-MobileDevices", parameters: { UserPrincipalName: ADELE } })).toMatchObject({ status: "ok" });
  });

  it("Cancel-OrganizedMeetings cancels the future meetings Adele organised with attendees, in the window", async () => {
    expect(await run({ runbook: "Cancel-OrganizedMeetings", parameters: { UserPrincipalName: ADELE } })).toMatchObject({ status: "changed", days: "730" });
    expect(mailbox(ADELE).calendarEvents!.filter((event) => event.isCancelled).map((event) => event.subject)).toEqual(["Marketing weekly"]);
    // Exchange says nothing of what it cancelled: a second run reports changed too.
    expect(await run({ runbook: "Cancel-OrganizedMeetings", parameters: { UserPrincipalName: ADELE, QueryWindowInDays: "30" } })).toMatchObject({ status: "changed" });
  });

  it("Remove-MailboxAccessElsewhere takes Full Access, Send As, Send on Behalf and calendar rights on every other mailbox", async () => {
    const result = await run({ runbook: "Remove-MailboxAccessElsewhere", parameters: { UserPrincipalName: ADELE } });
    expect(result).toMatchObject({ status: "changed" });
    expect([...(result.removed as string[])].sort()).toEqual(["grace.taylor@contoso.com", "info@contoso.com", "isaiah.langer@contoso.com", "reception@contoso.com"]);
    for (const shared of ["reception@contoso.com", "info@contoso.com"]) {
      expect(mailbox(shared)).toMatchObject({ fullAccess: ["ben.walters@contoso.com"], sendAs: [], sendOnBehalf: ["grace.taylor@contoso.com"] });
    }
    expect(mailbox("isaiah.langer@contoso.com")).toMatchObject({ sendOnBehalf: [], calendarPermissions: [{ user: "diego.siciliani@contoso.com", accessRights: ["Reviewer"] }] });
    expect(mailbox("grace.taylor@contoso.com").calendarPermissions).toEqual([]);
    expect(await run({ runbook: "Remove-MailboxAccessElsewhere", parameters: { UserPrincipalName: ADELE } })).toMatchObject({ status: "ok" });
  });

  it("Set-SharedMailboxPermission grants Full Access with automapping by default, and without when asked", async () => {
    const grant = (UserEmail: string, extra: Record<string, string> = {}): RunbookStepInput => ({
      runbook: "Set-SharedMailboxPermission", parameters: { SharedMailboxEmail: ADELE, UserEmail, PermissionType: "FullAccess", Action: "Grant", ...extra },
    });
    expect(await run(grant("grace.taylor@contoso.com"))).toMatchObject({ status: "changed" });
    expect(await run(grant("diego.siciliani@contoso.com", { AutoMapping: "false" }))).toMatchObject({ status: "changed" });
    expect(mailbox(ADELE)).toMatchObject({ fullAccess: ["grace.taylor@contoso.com", "diego.siciliani@contoso.com"], automapped: ["grace.taylor@contoso.com"] });
  });
});
