/**
 * The shipped reversible intents' undo over real HTTP: the local adapter and real handlers, the run
 * store and snapshots on Azurite, the shipped intents under the built-in requester rules (a
 * reversible intent for the target themself or their manager), the sandbox tenant.
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

const SECRET = "shipped-undo-secret-5c1d";
let azurite: RunningAzurite;
let sandbox: Sandbox;
let host: ComposedHost;
let server: LocalServer;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox();
  host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox-token", INTENT_SHARED_SECRET: SECRET,
    NOTIFICATION_MAILBOX: "info@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com", DEFAULT_USAGE_LOCATION: "US",
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
const groupsOf = (upn: string) => sandbox.tenant.groups.filter((g) => g.members.includes(userOf(upn).id)).map((g) => g.displayName).sort();
const licencesOf = (upn: string) => [...userOf(upn).assignedLicenses].sort((a, b) => a.skuId.localeCompare(b.skuId));
const writes = () => sandbox.requests().filter((r) => r.method !== "GET" && !r.path.endsWith("$batch"));
/** The requester asks for themself: the built-in rules allow a reversible intent, and its undo. */
const asSelf = (upn: string) => ({ meta_data: { contact_email: upn, contact_name: upn } });
let ticket = 8100;

async function run(intent: string, fields: Record<string, string>, requester: string) {
  const answer = await call("POST", "/api/intent", webhook(intent, fields, ticket++, requester));
  expect(answer.body.status).toBe("succeeded");
  return answer.body.runId as string;
}

describe("Add User to Group's undo", () => {
  const BEN = "ben.walters@contoso.com";

  it("removes the user this run added, then has nothing left to undo", async () => {
    const before = groupsOf(BEN);
    const runId = await run("Add User to Group", { "User Email": BEN, "Group Name": "Marketing" }, BEN);
    expect(groupsOf(BEN)).toEqual([...before, "Marketing"].sort());

    const sent = writes().length;
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: false, undoneBy: [], irreversible: [], changedSince: [] });
    expect(plan.body.plan.lines).toEqual([`Remove the user from the group again: DELETE /groups/${groupNamed("Marketing").id}/members/${userOf(BEN).id}/$ref`]);
    expect(writes().length).toBe(sent);

    const undone = await call("POST", `/api/runs/${runId}/undo`, asSelf(BEN));
    expect(undone.body).toMatchObject({ status: "succeeded", undoOf: runId, message: `${BEN} is no longer a member of Marketing: the earlier addition was undone.` });
    expect(groupsOf(BEN)).toEqual(before);

    const again = await call("POST", `/api/runs/${runId}/undo`, asSelf(BEN));
    expect(again.body.status).toBe("nothing_to_undo");
    expect(writes().length).toBe(sent + 1);
  });

  it("offers no second undo once undone, even after someone made the same change again: that change is not the run's", async () => {
    const JOHANNA = "johanna.lorenz@contoso.com";
    const before = groupsOf(JOHANNA);
    const runId = await run("Add User to Group", { "User Email": JOHANNA, "Group Name": "Marketing" }, JOHANNA);
    const undone = await call("POST", `/api/runs/${runId}/undo`, asSelf(JOHANNA));
    expect(undone.body.status).toBe("succeeded");
    expect(groupsOf(JOHANNA)).toEqual(before);

    // A colleague adds Johanna to Marketing again, by hand.
    groupNamed("Marketing").members.push(userOf(JOHANNA).id);
    const sent = writes().length;
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: true, changes: [], changedSince: [], lines: [], undoneBy: [undone.body.runId] });
    expect((await call("POST", `/api/runs/${runId}/undo`, asSelf(JOHANNA))).body.status).toBe("nothing_to_undo");
    expect(groupsOf(JOHANNA)).toContain("Marketing");
    expect(writes().length).toBe(sent);
    // The colleague's change undone by hand, so the tests after this one start from the demo tenant.
    groupNamed("Marketing").members = groupNamed("Marketing").members.filter((id) => id !== userOf(JOHANNA).id);
  });

  it("leaves alone, and reports, a user someone removed since", async () => {
    const DIEGO = "diego.siciliani@contoso.com";
    const runId = await run("Add User to Group", { "User Email": DIEGO, "Group Name": "IT Department" }, DIEGO);
    const itDepartment = groupNamed("IT Department");
    itDepartment.members = itDepartment.members.filter((id) => id !== userOf(DIEGO).id);
    const sent = writes().length;
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: true, changes: [], changedSince: [`${DIEGO} was removed from IT Department since; left as it is.`] });
    expect((await call("POST", `/api/runs/${runId}/undo`, asSelf(DIEGO))).body.status).toBe("nothing_to_undo");
    expect(writes().length).toBe(sent);
  });

  it("has nothing to undo when the user was a member already: the run changed nothing", async () => {
    const ADELE = "adele.vance@contoso.com";
    const runId = await run("Add User to Group", { "User Email": ADELE, "Group Name": "Marketing" }, ADELE);
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: true, changes: [] });
    expect(groupsOf(ADELE)).toContain("Marketing");
  });

  it("is judged by requester policy under Add User to Group: a colleague gets no undo, and nothing is sent", async () => {
    const JOHANNA = "johanna.lorenz@contoso.com";
    const runId = await run("Add User to Group", { "User Email": JOHANNA, "Group Name": "Marketing" }, JOHANNA);
    const sent = writes().length;
    const refused = await call("POST", `/api/runs/${runId}/undo`, asSelf("ben.walters@contoso.com"));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("APPROVAL_REQUIRED");
    expect(writes().length).toBe(sent);
    expect(groupsOf(JOHANNA)).toContain("Marketing");
  });
});

describe("Remove User from Group's undo", () => {
  it("adds back the user this run removed", async () => {
    const GRACE = "grace.taylor@contoso.com";
    const before = groupsOf(GRACE);
    expect(before).toContain("Marketing");
    const runId = await run("Remove User from Group", { "User Email": GRACE, "Group Name": "Marketing" }, GRACE);
    expect(groupsOf(GRACE)).not.toContain("Marketing");
    const undone = await call("POST", `/api/runs/${runId}/undo`, asSelf(GRACE));
    expect(undone.body).toMatchObject({ status: "succeeded", message: `${GRACE} is a member of Marketing again: the earlier removal was undone.` });
    expect(groupsOf(GRACE)).toEqual(before);
  });

  it("leaves alone, and reports, a user someone added again since", async () => {
    const CONOR = "conor.obrien@contoso.com";
    const team = groupNamed("O'Brien's Team");
    const runId = await run("Remove User from Group", { "User Email": CONOR, "Group Name": "O'Brien's Team" }, CONOR);
    team.members.push(userOf(CONOR).id);
    const sent = writes().length;
    const answer = await call("POST", `/api/runs/${runId}/undo`, asSelf(CONOR));
    expect(answer.body).toMatchObject({ status: "nothing_to_undo" });
    expect(answer.body.plan.changedSince).toEqual([`${CONOR} was added to O'Brien's Team again since; left as it is.`]);
    expect(writes().length).toBe(sent);
  });
});

describe("License Assignment's undo", () => {
  it("removes a licence this run assigned; the usage location it set is declared as kept", async () => {
    const BEN = "ben.walters@contoso.com";
    expect(userOf(BEN).usageLocation ?? null).toBeNull();
    const before = licencesOf(BEN);
    const runId = await run("License Assignment", { "User Email": BEN, "License SKU": "SPB" }, BEN);
    expect(licencesOf(BEN)).toHaveLength(before.length + 1);
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.body.plan.irreversible).toEqual([`${BEN} had no usage location and was given one; this undo leaves it set.`]);
    expect(plan.body.plan.lines[0]).toMatch(/^Remove the licence again: POST \/users\/[0-9a-f-]+\/assignLicense \{"addLicenses":\[\],"removeLicenses":\["cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"\]\}$/);
    const undone = await call("POST", `/api/runs/${runId}/undo`, asSelf(BEN));
    expect(undone.body).toMatchObject({ status: "succeeded", message: `${BEN} no longer has the SPB licence: the earlier change was undone.` });
    expect(licencesOf(BEN)).toEqual(before);
    expect(userOf(BEN).usageLocation).toBe("US");
  });

  it("assigns a removed licence back with the service plans that were off before", async () => {
    const CONOR = "conor.obrien@contoso.com";
    const e3 = sandbox.tenant.skus.find((s) => s.skuPartNumber === "SPE_E3")!;
    userOf(CONOR).assignedLicenses = [{ skuId: e3.skuId, disabledPlans: [e3.servicePlans[0]!.servicePlanId] }];
    const before = licencesOf(CONOR);
    const runId = await run("License Assignment", { "User Email": CONOR, "License SKU": "SPE_E3", Action: "remove" }, CONOR);
    expect(licencesOf(CONOR)).toEqual([]);
    const undone = await call("POST", `/api/runs/${runId}/undo`, asSelf(CONOR));
    expect(undone.body).toMatchObject({ status: "succeeded", message: `${CONOR} has again the SPE_E3 licence: the earlier change was undone.` });
    expect(licencesOf(CONOR)).toEqual(before);
  });
});
