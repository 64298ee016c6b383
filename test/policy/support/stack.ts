/**
 * The Function App over real HTTP for requester policy tests: local adapter → handlers → pipeline
 * → the shipped intents → the sandbox tenant (demo tenant plus a patch), the run store on Azurite,
 * and the deployment's policy file written where POLICY_FILE points (none: the built-in rules).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeFromSettings, type ComposedHost } from "../../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { caseFixture } from "../../../engine/tooling/cases/fixture";
import type { FixturePatch } from "../../../engine/tooling/cases/types";
import { startSandbox, type RequestLogEntry, type Sandbox } from "../../../sandbox";
import type { RunningAzurite } from "../../support/azurite";
import { createManualClock } from "../../support/manual-clock";

export const SECRET = "policy-test-secret";

/** Ids of the demo tenant (sandbox/fixtures/demo-tenant.json). */
export const IDS = {
  adele: "047a86fd-4f51-5e2f-a12d-75c370f133fd",
  grace: "7813fbed-0cb9-5367-ab73-549bf5fff44f",
  isaiah: "7e38e304-a3c5-5d9f-be88-4c49e2c3277e",
  admin: "36389116-791f-55c8-9212-05be78ec1c9a",
  breakglass: "93657981-ad98-5fe8-a838-b1a79bb636ff",
  nestor: "b723fbcd-b2c5-50ca-9200-9d66a07188e1",
  serviceDesk: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2",
  vipAccounts: "d0fc0e0d-7e86-5f36-8e82-85c22dcd7415",
} as const;

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the answer's JSON
  body: any;
}

export interface PolicyStack {
  sandbox: Sandbox;
  host: ComposedHost;
  logs: string[];
  post(intentName: string, fields: Record<string, unknown>, requester: string, ticketId: number): Promise<Answer>;
  /** POST /api/intent with this body as it is, a query string and more headers: whatever a caller could send. */
  postRaw(body: unknown, query: string, headers: Record<string, string>): Promise<Answer>;
  getRun(runId: string): Promise<Answer>;
  /** Every request that could change the tenant: anything but a GET (a `$batch` envelope counts through its items). */
  writes(): RequestLogEntry[];
  close(): Promise<void>;
}

export interface StackOptions {
  /** The policy file's text; absent = no file, the built-in rules. */
  policy?: string;
  fixture?: FixturePatch;
  env?: Record<string, string>;
}

export async function startPolicyStack(azurite: RunningAzurite, options: StackOptions = {}): Promise<PolicyStack> {
  const clock = createManualClock(Date.now());
  const sandbox = await startSandbox({ fixture: caseFixture(options.fixture), now: () => clock.now() });
  const env: Record<string, string> = {
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    INTENT_SHARED_SECRET: SECRET,
    NOTIFICATION_MAILBOX: "reception@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    MAIL_SENDER: "reception@contoso.com", HELPDESK_EMAIL: "grace.taylor@contoso.com", DEFAULT_USAGE_LOCATION: "US",
    ...options.env,
  };
  if (options.policy !== undefined) {
    env.POLICY_FILE = join(mkdtempSync(join(tmpdir(), "policy-")), "policy.yaml");
    writeFileSync(env.POLICY_FILE, options.policy);
  }
  const host = await composeFromSettings(env, { clock });
  const logs: string[] = [];
  const server: LocalServer = await startLocalServer({ routes: appRoutes(async () => host.deps), maxBodyBytes: MAX_BODY_BYTES, log: (_level, line) => logs.push(line) });
  const call = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(server.url + path, init);
    return { status: response.status, body: await response.json() };
  };
  return {
    sandbox,
    host,
    logs,
    post: (intentName, fields, requester, ticketId) =>
      call("/api/intent", {
        method: "POST",
        headers: { "content-type": "application/json", "x-intent-secret": SECRET },
        body: JSON.stringify({ intent_name: intentName, intent_fields: fields, meta_data: { ticket_id: ticketId, contact_name: "Someone", contact_email: requester, company_name: "Contoso" } }),
      }),
    postRaw: (body, query, headers) =>
      call(`/api/intent${query}`, { method: "POST", headers: { "content-type": "application/json", "x-intent-secret": SECRET, ...headers }, body: JSON.stringify(body) }),
    getRun: (runId) => call(`/api/runs/${runId}`, { headers: { "x-intent-secret": SECRET } }),
    writes: () => sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/v1.0/$batch"),
    async close() {
      await server.close();
      await host.close();
      await sandbox.close();
    },
  };
}
