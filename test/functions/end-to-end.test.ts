/**
 * The whole product over real HTTP: local adapter → handlers → pipeline → the real engine and the
 * shipped intents → the Graph client → the sandbox tenant, with the run store on Azurite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { DEMO_POLICY_PATH, startSandbox, type Sandbox } from "../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { webhook } from "./support/harness";

const SECRET = "e2e-secret-7f3a";
let azurite: RunningAzurite;
let sandbox: Sandbox;
let host: ComposedHost;
let server: LocalServer;
const logs: string[] = [];

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox();
  host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_BASE_URL: sandbox.graphBaseUrl,
    GRAPH_ACCESS_TOKEN: "sandbox-token",
    INTENT_SHARED_SECRET: SECRET,
    NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com",
    NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    HELPDESK_EMAIL: "isaiah.langer@contoso.com",
    MAIL_SENDER: "isaiah.langer@contoso.com",
    INTENT_SECRET_PARTNER_API_KEY: "e2e-partner-key-5c1d",
    // A key Azure puts into a Function App's environment: no intent may reach it.
    WEBSITE_AUTH_ENCRYPTION_KEY: "platform-auth-key-9e2b",
    // The demo deployment's requester policy: its Service Desk may ask on anyone's behalf.
    POLICY_FILE: DEMO_POLICY_PATH,
  }, { clock: createManualClock(Date.now()) });
  const deps = async () => host.deps;
  server = await startLocalServer({
    routes: appRoutes(deps),
    maxBodyBytes: MAX_BODY_BYTES,
    log: (_level, line) => logs.push(line),
  });
});

afterAll(async () => {
  await server?.close();
  await host?.close();
  await sandbox?.close();
  await azurite?.close();
});

async function post(body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + "/api/intent", {
    method: "POST", headers: { "content-type": "application/json", "x-intent-secret": SECRET }, body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const memberWrites = () => sandbox.requests().filter((r) => r.method === "POST" && r.path.endsWith("/members/$ref"));

describe("end to end with the shipped intents and the sandbox tenant", () => {
  it("gives the engine the secret settings intents declare, from the settings or Key Vault, and never a credential", async () => {
    expect(await host.deps.services.secrets?.get("PARTNER_API_KEY")).toBe("e2e-partner-key-5c1d");
    await expect(host.deps.services.secrets?.get("INTENT_SHARED_SECRET")).rejects.toMatchObject({ code: "SPEC_SECRET_NOT_ALLOWED" });
    expect(await host.deps.services.secrets?.get("WEBSITE_AUTH_ENCRYPTION_KEY")).toBeUndefined();
  });

  it("adds a user to a group and reports each step", async () => {
    const answer = await post(webhook("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": "IT Department" }, 5001));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.length).toBeGreaterThan(0);
    expect(memberWrites()).toHaveLength(1);
  });

  it("executes 100 concurrent deliveries once, counted in the sandbox request log", async () => {
    const before = memberWrites().length;
    const body = webhook("Add User to Group", { "User Email": "ben.walters@contoso.com", "Group Name": "IT Department" }, 5002, "diego.siciliani@contoso.com"); // his manager
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(body)));
    expect(memberWrites().length - before).toBe(1);
    expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);
    expect(answers.filter((a) => a.body.duplicate !== true)).toHaveLength(1);
  });

  it("resets a password without the password reaching the answer, the record or the logs", async () => {
    const password = "Xq7!vT9#mL2$wP4z";
    const answer = await post(webhook("Password Reset", { "User Email": "diego.siciliani@contoso.com", "Temporary Password": password }, 5003, "isaiah.langer@contoso.com")); // his manager
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    const record = await fetch(`${server.url}/api/runs/${answer.body.runId}`, { headers: { "x-intent-secret": SECRET } });
    const everything = JSON.stringify(answer.body) + (await record.text()) + logs.join("\n");
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(SECRET);
    // Templates can only reach plain settings: no shared secret, no Graph credential.
    expect(host.deps.services.settings.INTENT_SHARED_SECRET).toBeUndefined();
    expect(host.deps.services.settings.GRAPH_ACCESS_TOKEN).toBeUndefined();
    expect(host.deps.services.settings.HELPDESK_EMAIL).toBe("isaiah.langer@contoso.com");
  });

  it("fails an unknown user with the intent's code and mails the failure from the notification mailbox", async () => {
    const answer = await post(webhook("Add User to Group", { "User Email": "nobody@contoso.com", "Group Name": "IT Department" }, 5004, "megan.bowen@contoso.com")); // the Service Desk
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("failed");
    expect(answer.body.error.code).toBe("USER_NOT_FOUND");
    const mail = sandbox.requests().find((r) => r.path === "/v1.0/users/isaiah.langer%40contoso.com/sendMail" && JSON.stringify(r.body).includes("#5004"));
    expect(mail?.status).toBe(202);
    // The request log masks mail content; the mail delivered in the tenant holds it.
    const delivered = sandbox.tenant.sentMail.find((m) => m.message.subject?.includes("#5004"));
    expect(delivered?.message.body?.content).toContain("USER_NOT_FOUND");
  });
});
