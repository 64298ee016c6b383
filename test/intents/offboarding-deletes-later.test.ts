/**
 * User Offboarding's "Delete Account After": the run does every other option, waits (status
 * scheduled, the deletion the waiting step), and deletes the account once the delay has passed —
 * the earlier steps restored from the run's journal, not sent again. Against the sandbox tenant.
 */
import { afterEach, describe, expect, it } from "vitest";
import { execute, loadCatalog, mapFields, type StepCheckpoint } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import type { RunJournal } from "../../engine/runtime/types";
import { caseServices, fastClock } from "../../engine/tooling/cases/services";
import { startSandbox, type Sandbox } from "../../sandbox";

const intent = loadCatalog(builtinKindSpecs()).intents.find((i) => i.name === "User Offboarding")!;
const DAY = 86_400_000;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function memoryJournal(): RunJournal {
  const rows: Record<string, StepCheckpoint> = {};
  return { load: async () => ({ ...rows }), save: async (id, checkpoint) => void (rows[id] = structuredClone(checkpoint)) };
}

describe("User Offboarding: Delete Account After 30 days", () => {
  it("offboards now, waits 30 days as a scheduled run, then deletes the account without repeating the rest", async () => {
    const clock = fastClock(Date.UTC(2026, 0, 5, 9));
    sandbox = await startSandbox({ now: clock.now });
    const services = caseServices(sandbox, clock, { TENANT_TIME_ZONE: "Europe/London" });
    const mapped = mapFields(intent, { "User Email": "adele.vance@contoso.com", "Delete Account After": "30 days" });
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const journal = memoryJournal();
    const run = () => execute(intent, { fields: mapped.fields, run: { runId: "offboard-1", ticketId: "T-7", intentName: intent.name, contactName: "Grace Taylor", contactEmail: "grace.taylor@contoso.com", companyName: "Contoso" }, services, journal });

    const first = await run();
    expect(first).toMatchObject({
      status: "scheduled",
      schedule: { step: "deleteAfter30Days", at: "2026-02-04T09:00:00+00:00" },
      message: "adele.vance@contoso.com is offboarded; the account will be deleted on Wednesday 4 February at 09:00.",
    });
    const adele = () => sandbox!.tenant.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com");
    expect(adele()).toMatchObject({ accountEnabled: false, assignedLicenses: [], mailbox: { type: "SharedMailbox" } });
    const sentBefore = sandbox.requests().length;

    // Woken before its time (a timer, a redelivery): it waits again and sends nothing.
    const early = await run();
    expect(early.status).toBe("scheduled");
    expect(adele()).toBeDefined();

    await clock.sleep(30 * DAY);
    const done = await run();
    expect(done.status).toBe("succeeded");
    expect(done.message).toContain("the account was deleted (restorable for 30 days)");
    expect(adele()).toBeUndefined();
    // Only the deletion (by UPN, as every offboarding write) went out after the wait: every earlier step came back from the journal.
    expect(sandbox.requests().slice(sentBefore).map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /v1.0/users/adele.vance%40contoso.com"]);
    expect(done.steps.filter((s) => s.status !== "skipped" && !s.resumed).map((s) => s.id)).toEqual(["deleteAfter30Days"]);
  });
});
