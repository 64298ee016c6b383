/**
 * Undo over real HTTP: the local adapter and real handlers, the run store and snapshots on Azurite,
 * the engine with a test intent that snapshots and undoes a leaver's Graph side, the sandbox tenant.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as undoCommand from "../../engine/hosts/cli/commands/undo";
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { webhook } from "../functions/support/harness";

const SECRET = "undo-secret-2b7e";
const USER = "conor.obrien@contoso.com";
const REQUESTER = "megan.bowen@contoso.com";
let azurite: RunningAzurite;
let sandbox: Sandbox;
let host: ComposedHost;
let server: LocalServer;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox();
  host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox-token", INTENT_SHARED_SECRET: SECRET,
    NOTIFICATION_MAILBOX: "info@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    // Requester policy's built-in rules: destructive intents for this group, Megan Bowen's (the Service Desk).
    AUTHORISED_REQUESTERS_GROUP: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2",
  }, { clock: createManualClock(Date.now()), intentsDir: join(__dirname, "..", "fixtures", "undo-intents") });
  server = await startLocalServer({ routes: appRoutes(async () => host.deps), maxBodyBytes: MAX_BODY_BYTES, log: () => undefined });
});

afterAll(async () => {
  await server?.close();
  await host?.close();
  await sandbox?.close();
  await azurite?.close();
});

async function call(method: string, path: string, body?: unknown, secret = SECRET): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, {
    method, headers: { "x-intent-secret": secret, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** What the leaver intent changes, as the sandbox holds it. */
function stateOf(upn: string) {
  const user = sandbox.tenant.users.find((u) => u.userPrincipalName === upn)!;
  return {
    enabled: user.accountEnabled,
    licenses: [...user.assignedLicenses].sort((a, b) => a.skuId.localeCompare(b.skuId)),
    managerId: user.managerId ?? null,
    groups: sandbox.tenant.groups.filter((g) => g.members.includes(user.id)).map((g) => g.id).sort(),
  };
}

const writes = () => sandbox.requests().filter((r) => r.method !== "GET" && !r.path.endsWith("$batch"));

describe("undo over HTTP", () => {
  let runId: string;
  const before = () => stateOf(USER);
  let original: ReturnType<typeof stateOf>;

  it("offboards, then plans the undo against the tenant as it is now", async () => {
    original = before();
    const answer = await call("POST", "/api/intent", webhook("Test Leaver", { "User Email": USER }, 7001, REQUESTER));
    expect(answer.body.status).toBe("succeeded");
    runId = answer.body.runId;
    const after = stateOf(USER);
    expect(after.enabled).toBe(false);
    expect(after.licenses).toEqual([]);
    expect(after.managerId).toBeNull();
    expect(after.groups.length).toBeLessThan(original.groups.length);

    const writesBefore = writes().length;
    const plan = await call("GET", `/api/runs/${runId}/undo`);
    expect(plan.status).toBe(200);
    expect(plan.body.plan.nothingToUndo).toBe(false);
    expect(plan.body.plan.lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Let the user sign in again: PATCH \/users\/[0-9a-f-]+ \{"accountEnabled":true\}$/),
      expect.stringMatching(/^Restore the manager: PUT \/users\/.+\/manager\/\$ref/),
      expect.stringMatching(/^Assign the licences again: POST \/users\/.+\/assignLicense/),
      expect.stringMatching(/^Add the user to the group again: POST \/groups\/.+\/members\/\$ref/),
      `Not reversible: ${USER}'s sessions were revoked; they stay signed out until they sign in again.`,
    ]));
    // A plan sends reads only.
    expect(writes().length).toBe(writesBefore);
  });

  it("undoes only what is still as the run left it: a group someone re-added is left alone and reported", async () => {
    const itDepartment = sandbox.tenant.groups.find((g) => g.displayName === "IT Department")!;
    const user = sandbox.tenant.users.find((u) => u.userPrincipalName === USER)!;
    itDepartment.members.push(user.id);
    const writesBefore = writes().length;
    const answer = await call("POST", `/api/runs/${runId}/undo`, { meta_data: { contact_email: "megan.bowen@contoso.com", contact_name: "Megan Bowen" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "succeeded", undoOf: runId, message: `${USER} is back as they were before.` });
    expect(answer.body.undo.changedSince).toEqual([`${USER} was added to IT Department again since; left as it is.`]);
    expect(answer.body.undo.irreversible).toEqual([`${USER}'s sessions were revoked; they stay signed out until they sign in again.`]);
    expect(stateOf(USER)).toEqual(original);
    const sent = writes().slice(writesBefore);
    expect(sent.some((r) => r.path.includes(itDepartment.id))).toBe(false);
    expect(sent.map((r) => r.method).sort()).toEqual(["PATCH", "POST", "POST", "PUT"]);

    const record = await call("GET", `/api/runs/${answer.body.runId}`);
    expect(record.body).toMatchObject({ status: "succeeded", intentName: "Undo Test Leaver", undo: { of: runId } });
  });

  it("undoes twice as a no-op: nothing is left to undo, nothing is sent", async () => {
    const writesBefore = writes().length;
    const again = await call("POST", `/api/runs/${runId}/undo`, {});
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("nothing_to_undo");
    expect(again.body.plan.changes).toEqual([]);
    expect(again.body.plan.undoneBy).toHaveLength(1);
    expect(writes().length).toBe(writesBefore);
    expect(stateOf(USER)).toEqual(original);
  });

  it("refuses what it cannot undo with a stable code, and nothing without the secret", async () => {
    expect((await call("GET", `/api/runs/${"0".repeat(32)}/undo`)).body.error.code).toBe("RUN_NOT_FOUND");
    expect((await call("GET", "/api/runs/not-a-run/undo")).status).toBe(404);
    expect((await call("POST", `/api/runs/${runId}/undo`, {}, "wrong")).status).toBe(401);
    const bad = await call("POST", `/api/runs/${runId}/undo`, "{nope");
    expect([bad.status, bad.body.error.code]).toEqual([400, "WEBHOOK_BAD_JSON"]);
    const ghost = await call("POST", "/api/intent", webhook("Test Leaver", { "User Email": "ghost@contoso.com" }, 7002, REQUESTER));
    expect(ghost.body.error.code).toBe("USER_NOT_FOUND");
    const none = await call("GET", `/api/runs/${ghost.body.runId}/undo`);
    expect([none.status, none.body.error.code]).toEqual([410, "UNDO_NO_SNAPSHOT"]);
  });
});

describe("undoing the most recent run of an intent for a user, by webhook", () => {
  const ADELE = "adele.vance@contoso.com";

  it("reinstates the user from the latest run that changed something, then finds nothing left", async () => {
    const original = stateOf(ADELE);
    const left = await call("POST", "/api/intent", webhook("Test Leaver", { "User Email": ADELE }, 7101, REQUESTER));
    expect(left.body.status).toBe("succeeded");
    expect(stateOf(ADELE)).not.toEqual(original);
    const reinstated = await call("POST", "/api/intent", webhook("Test Reinstate", { "User Email": "Adele.Vance@contoso.com" }, 7102, REQUESTER));
    expect(reinstated.body).toMatchObject({ status: "succeeded", message: "Adele.Vance@contoso.com is reinstated.", outputs: { undone: left.body.runId } });
    expect(reinstated.body.outputs.notReversible).toEqual([`${ADELE}'s sessions were revoked; they stay signed out until they sign in again.`]);
    expect(stateOf(ADELE)).toEqual(original);
    const plan = await call("GET", `/api/runs/${left.body.runId}/undo`);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: true, undoneBy: [reinstated.body.runId] });

    const again = await call("POST", "/api/intent", webhook("Test Reinstate", { "User Email": ADELE }, 7103, REQUESTER));
    expect(again.body).toMatchObject({ status: "succeeded", message: `Nothing was left to undo for ${ADELE}.`, steps: [{ id: "reinstate", status: "ok" }] });
  });

  it("goes through requester policy: someone the rules do not allow gets no undo, and nothing is sent", async () => {
    const left = await call("POST", "/api/intent", webhook("Test Leaver", { "User Email": "diego.siciliani@contoso.com" }, 7110, REQUESTER));
    expect(left.body.status).toBe("succeeded");
    const sent = writes().length;
    const refused = await call("POST", "/api/intent", webhook("Test Reinstate", { "User Email": "diego.siciliani@contoso.com" }, 7111, "adele.vance@contoso.com"));
    expect(refused.status).toBe(403);
    expect(["POLICY_DENIED", "APPROVAL_REQUIRED"]).toContain(refused.body.error.code);
    const viaApi = await call("POST", `/api/runs/${left.body.runId}/undo`, { meta_data: { contact_email: "adele.vance@contoso.com" } });
    expect(viaApi.status).toBe(403);
    expect(writes().length).toBe(sent);
  });

  it("fails with the intent's own code when the user never left", async () => {
    const answer = await call("POST", "/api/intent", webhook("Test Reinstate", { "User Email": "isaiah.langer@contoso.com" }, 7104, REQUESTER));
    expect(answer.body).toMatchObject({ status: "failed", error: { code: "NO_LEAVER_FOUND" }, message: "isaiah.langer@contoso.com could not be reinstated: isaiah.langer@contoso.com has not left, so there is nothing to reinstate." });
  });
});

describe("npx intents undo", () => {
  it("shows the plan, starts the undo with --yes, and exits 2 on a bad run id", async () => {
    const USER_M = "miriam.graham@contoso.com";
    const original = stateOf(USER_M);
    const left = await call("POST", "/api/intent", webhook("Test Leaver", { "User Email": USER_M }, 7201, REQUESTER));
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
    process.env.INTENT_SHARED_SECRET = SECRET;
    try {
      expect(await undoCommand.run([left.body.runId, "--url", server.url])).toBe(0);
      expect(out).toContain(`Undo of Test Leaver run ${left.body.runId}`);
      expect(out).toMatch(/Let the user sign in again: PATCH \/users\//);
      expect(out).toContain("Run again with --yes to start this undo.");
      expect(stateOf(USER_M)).not.toEqual(original);
      out = "";
      expect(await undoCommand.run([left.body.runId, "--url", server.url, "--yes", "--requester", "megan.bowen@contoso.com"])).toBe(0);
      expect(out).toMatch(/Undo run [0-9a-f]{32}: succeeded/);
      expect(out).toContain("Not reversible: miriam.graham@contoso.com's sessions were revoked");
      expect(stateOf(USER_M)).toEqual(original);
      out = "";
      expect(await undoCommand.run([left.body.runId, "--url", server.url, "--yes"])).toBe(0);
      expect(out).toContain("Nothing is left to undo.");
      expect(await undoCommand.run(["not-a-run"])).toBe(2);
    } finally {
      delete process.env.INTENT_SHARED_SECRET;
      vi.restoreAllMocks();
    }
  });
});
