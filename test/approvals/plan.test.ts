/**
 * The plan an approver reads, made from the shipped intents' dry runs against the sandbox tenant
 * over real HTTP: what each write changes with the current value beside it, grouped where a step
 * repeats itself, no secret, no write sent, and a fingerprint that changes when the tenant does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { automationClientFromSettings } from "../../engine/clients/arm";
import { graphClientFromSettings } from "../../engine/clients/graph";
import { systemClock } from "../../engine/core/clock";
import { builtinKinds } from "../../engine/kinds";
import { loadCatalog } from "../../engine/language/spec/catalog";
import { mapFields } from "../../engine/language/spec/fields";
import { diffLines } from "../../engine/lifecycle/approval/plan/diff-text";
import { fingerprintOf, planOf } from "../../engine/lifecycle/approval/plan/make-plan";
import { withLaterChanges } from "../../engine/lifecycle/approval/plan/starts-at";
import type { Plan } from "../../engine/lifecycle/approval/plan/types";
import { execute } from "../../engine/runtime/interpreter";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph as call, startTestSandbox } from "../sandbox/helpers";
import { createManualClock } from "../support/manual-clock";

let sandbox: Sandbox;
let client: ReturnType<typeof graphClientFromSettings>;
let kinds: ReturnType<typeof builtinKinds>;

const SETTINGS = { HELPDESK_EMAIL: "grace.taylor@contoso.com", MAIL_SENDER: "isaiah.langer@contoso.com", DEFAULT_USAGE_LOCATION: "US" };

beforeAll(async () => {
  sandbox = await startTestSandbox();
  // Retry waits pass on a manual clock, not in real time.
  client = graphClientFromSettings({ GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox" }, { clock: createManualClock(Date.now()) });
  kinds = builtinKinds({ graph: client, automation: automationClientFromSettings({}) });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" });
});

async function dryRun(intentName: string, fields: Record<string, unknown>) {
  const intent = loadCatalog(kinds).find(intentName)!;
  const mapped = mapFields(intent, fields);
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  const run = { runId: "plan-test", ticketId: "4711", intentName: intent.name, contactName: "Ben Walters", contactEmail: "ben.walters@contoso.com", companyName: "Contoso" };
  return execute(intent, { fields: mapped.fields, run, services: { kinds, clock: systemClock, settings: SETTINGS, events: () => undefined }, mode: "dry-run" });
}

async function planFor(intentName: string, fields: Record<string, unknown>): Promise<Plan> {
  const outcome = await planOf(await dryRun(intentName, fields), client);
  if (!("plan" in outcome)) throw new Error(JSON.stringify(outcome.error));
  return outcome.plan;
}

const writes = (from: number) => sandbox.requests().slice(from).filter((r) => r.method !== "GET" && r.path !== "/v1.0/$batch");

describe("a plan", () => {
  it("shows each write with the tenant's current value: an offboarding, groups grouped by step", async () => {
    for (const group of [DEMO.itDepartment, DEMO.obriens, DEMO.vipAccounts]) {
      expect((await call(sandbox, "POST", `/groups/${group}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${DEMO.ben}` })).status).toBe(204);
    }
    const before = sandbox.requests().length;
    const plan = await planFor("User Offboarding", { "User Email": "ben.walters@contoso.com", "Remove Licenses": "Yes", "Remove from Groups": "Yes" });
    expect(writes(before)).toEqual([]);
    const lines = diffLines(plan);
    expect(lines).toContain("Update user ben.walters@contoso.com");
    expect(lines).toContain("  accountEnabled: true → false");
    expect(lines).toContain("Sign ben.walters@contoso.com out of every session");
    expect(lines).toContain("Remove Ben Walters (ben.walters@contoso.com) from 4 groups: Sales Team, O'Brien's Team, IT Department, VIP Accounts");
    expect(plan.changes.find((c) => c.stepId === "leaveGraphGroups")).toMatchObject({ items: ["Sales Team", "O'Brien's Team", "IT Department", "VIP Accounts"] });
    expect(plan.unplanned).toEqual([]);
  });

  it("names licences by product, before and after", async () => {
    const plan = await planFor("User Offboarding", { "User Email": "adele.vance@contoso.com", "Remove Licenses": "Yes" });
    expect(diffLines(plan)).toEqual(expect.arrayContaining(["Change the licences of adele.vance@contoso.com", "  licences: SPE_E3 → (none)"]));
  });

  it("never shows a secret: a given temporary password reads as a new value, not as its mask or itself", async () => {
    const plan = await planFor("Password Reset", { "User Email": "miriam.graham@contoso.com", "Temporary Password": "Given-Pass-123!" });
    expect(JSON.stringify(plan)).not.toContain("Given-Pass-123!");
    expect(diffLines(plan)).toEqual([
      "Update user miriam.graham@contoso.com",
      "  passwordProfile.password: a new value (not shown)",
      "  passwordProfile.forceChangePasswordNextSignIn: true",
    ]);
  });

  it("names both managers of a manager change, and the person", async () => {
    const plan = await planFor("Update Manager", { "User Email": "adele.vance@contoso.com", "Manager Email": "isaiah.langer@contoso.com" });
    expect(diffLines(plan)).toEqual([
      "Set the manager of Adele Vance (adele.vance@contoso.com)",
      "  manager: Grace Taylor (grace.taylor@contoso.com) → Isaiah Langer (isaiah.langer@contoso.com)",
    ]);
  });

  it("has one fingerprint while the tenant stays, another once it changes what the plan would do", async () => {
    const fields = { "User Email": "diego.siciliani@contoso.com", "Remove from Groups": "Yes" };
    const first = await planFor("User Offboarding", fields);
    expect((await planFor("User Offboarding", fields)).fingerprint).toBe(first.fingerprint);
    await call(sandbox, "POST", `/groups/${DEMO.itDepartment}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${DEMO.diego}` });
    const changed = await planFor("User Offboarding", fields);
    expect(changed.fingerprint).not.toBe(first.fingerprint);
    expect(diffLines(changed).join("\n")).toContain("IT Department");
  });

  it("says when a change a step's delay puts later is made, and keeps that time out of the fingerprint", async () => {
    const result = await dryRun("User Offboarding", { "User Email": "diego.siciliani@contoso.com", "Delete Account After": "30 days" });
    const outcome = await planOf(result, client);
    if (!("plan" in outcome)) throw new Error(JSON.stringify(outcome.error));
    const plan = withLaterChanges(outcome.plan, result.steps, "UTC");
    const deleteAt = result.steps.find((s) => s.id === "deleteAfter30Days")?.at ?? "";
    const disableAt = Date.parse(result.steps.find((s) => s.id === "disable")?.at ?? "");
    expect(Date.parse(deleteAt) - disableAt).toBe(30 * 86_400_000);
    expect(plan.changes.filter((c) => c.later).map((c) => [c.stepId, c.later?.at])).toEqual([["deleteAfter30Days", deleteAt]]);
    const lines = diffLines(plan);
    expect(lines.filter((line) => line.startsWith("Later, on "))).toEqual([expect.stringMatching(/^Later, on \w+day \d+ \w+ (\d{4} )?at \d\d:\d\d \(UTC\): Delete user Diego Siciliani \(diego\.siciliani@contoso\.com\)$/)]);
    expect(lines).toContain("Update user diego.siciliani@contoso.com");
    expect(fingerprintOf(plan.changes, plan.unplanned)).toBe(outcome.plan.fingerprint);
  });

  it("is not made when the dry run's read failed: the run's own error comes back", async () => {
    const outcome = await planOf(await dryRun("User Offboarding", { "User Email": "nobody@contoso.com", "Remove from Groups": "Yes" }), client);
    expect(outcome).toEqual({ error: expect.objectContaining({ code: "USER_NOT_FOUND" }) });
  });

  it("fails (retryably) rather than guess when a read for the plan fails", async () => {
    const run = await dryRun("User Offboarding", { "User Email": "ben.walters@contoso.com" });
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "unavailable", method: "GET", path: "/v1.0/users/*" }) });
    await expect(planOf(run, client)).rejects.toMatchObject({ code: "GRAPH_ERROR", retryable: true });
  });
});
