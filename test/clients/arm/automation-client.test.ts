import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAutomationClient, deterministicJobName, parseRunbookResult, readAutomationSettings } from "../../../engine/clients/arm";
import type * as AzureIdentity from "@azure/identity";
import { armCredential } from "../../../engine/clients/arm/credential";
import { IntentError } from "../../../engine/core/errors";

// The CommonJS build the engine loads on first use (the ES module build's classes are other objects).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ManagedIdentityCredential } = require("@azure/identity") as typeof AzureIdentity;
import { startArmServer, type ArmServer } from "../../runbooks/support/arm-server";
import { ARM_SETTINGS } from "../../runbooks/support/drive-step";
import { runbookTenant } from "../../runbooks/support/tenant";

let server: ArmServer;
beforeEach(async () => {
  server = await startArmServer(runbookTenant());
});
afterEach(() => server.close());

const client = () => createAutomationClient(readAutomationSettings({ ...ARM_SETTINGS, ARM_BASE_URL: `${server.url}/` }));
const jobsPath = () =>
  `${server.url}/subscriptions/${ARM_SETTINGS.AZURE_SUBSCRIPTION_ID}/resourceGroups/${ARM_SETTINGS.AZURE_RESOURCE_GROUP}/providers/Microsoft.Automation/automationAccounts/${ARM_SETTINGS.AUTOMATION_ACCOUNT_NAME}/jobs`;

async function rejection(promise: Promise<unknown>): Promise<IntentError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(IntentError);
  return error as IntentError;
}

describe("Automation client (@azure/arm-automation) against the sandbox ARM API", () => {
  it("creates a job with a bearer token at the account's path, polls it and reads its output", async () => {
    const automation = client();
    const started = await automation.startJob("job-a", "Set-MailboxHiddenFromGal", { UserPrincipalName: "alex@contoso.com" });
    expect(started).toEqual({ name: "job-a", runbook: "Set-MailboxHiddenFromGal", status: "New" });
    expect((await automation.getJob("job-a")).status).toBe("Running");
    expect((await automation.getJob("job-a")).status).toBe("Completed");
    const output = await automation.getJobOutput("job-a");
    expect(parseRunbookResult(output)).toMatchObject({ status: "changed", hidden: true });
    // The manifest's default (Hidden = 'true') was applied, as PowerShell would.
    expect(server.jobs.get("job-a")!.parameters).toEqual({ UserPrincipalName: "alex@contoso.com", Hidden: "true" });
    expect(server.requests()[0]!.path).toBe(`/subscriptions/${ARM_SETTINGS.AZURE_SUBSCRIPTION_ID}/resourceGroups/rg-intents/providers/Microsoft.Automation/automationAccounts/aa-intents/jobs/job-a`);
  });

  it("asks its credential for an ARM token, and uses the managed identity when no static token is set", async () => {
    const scopes: Array<string | string[]> = [];
    const credential = { getToken: async (scope: string | string[]) => (scopes.push(scope), { token: "mi-token", expiresOnTimestamp: Date.now() + 60_000 }) };
    const account = readAutomationSettings({ ...ARM_SETTINGS, ARM_ACCESS_TOKEN: undefined, ARM_BASE_URL: server.url } as Record<string, string | undefined>);
    expect(account.accessToken).toBeUndefined();
    await createAutomationClient(account, { credential }).startJob("job-mi", "Convert-ToSharedMailbox", { UserPrincipalName: "alex@contoso.com" });
    expect(scopes.flat()).toEqual(["https://management.azure.com/.default"]);
    expect(armCredential(undefined)).toBeInstanceOf(ManagedIdentityCredential);
    expect(await armCredential("static").getToken("x")).toMatchObject({ token: "static" });
  });

  it("answers the existing job when the same job name is created again", async () => {
    const automation = client();
    await automation.startJob("job-b", "Convert-ToSharedMailbox", { UserPrincipalName: "alex@contoso.com" });
    const again = await automation.startJob("job-b", "Convert-ToSharedMailbox", { UserPrincipalName: "alex@contoso.com" });
    expect(again.name).toBe("job-b");
    expect(server.jobs.list()).toHaveLength(1);
    expect(server.requests().map((request) => `${request.method} ${request.status}`)).toEqual(["PUT 201", "PUT 200", "GET 200"]);
  });

  it("maps ARM errors to AUTOMATION_ERROR with ARM's code, retryable only for outages", async () => {
    const automation = client();
    const unknown = await rejection(automation.startJob("job-c", "Convert-ToSharedMailbx", {}));
    expect(unknown.code).toBe("AUTOMATION_ERROR");
    expect(unknown.details).toEqual({ status: 404, code: "NotFound" });
    expect(unknown.retryable).toBe(false);
    const badParameter = await rejection(automation.startJob("job-c", "Convert-ToSharedMailbox", { Upn: "x" }));
    expect(badParameter.message).toContain("has no parameter named 'Upn'");
    const missingJob = await rejection(automation.getJob("never-created"));
    expect(missingJob.details).toEqual({ status: 404, code: "ResourceNotFound" });
    await server.fault({ kind: "unavailable", method: "GET", path: "/subscriptions/*/jobs/*", times: 1 });
    const outage = await rejection(automation.getJob("never-created"));
    expect(outage.retryable).toBe(true);
    expect(JSON.stringify(outage)).not.toContain(ARM_SETTINGS.ARM_ACCESS_TOKEN);
  });

  it("answers ARM's error shapes to requests without a bearer token or api-version", async () => {
    const noToken = await fetch(`${jobsPath()}/job-d?api-version=2017-05-15-preview`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const noVersion = await fetch(`${jobsPath()}/job-d`, { headers: { authorization: "Bearer t" } });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { code: "MissingApiVersionParameter" } });
    const badEnum = await fetch(`${jobsPath()}/job-d?api-version=2017-05-15-preview`, {
      method: "PUT",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ properties: { runbook: { name: "Set-MailboxHiddenFromGal" }, parameters: { UserPrincipalName: "a", Hidden: "maybe" } } }),
    });
    expect(badEnum.status).toBe(400);
    expect(((await badEnum.json()) as { error: { message: string } }).error.message).toContain('does not belong to the set "true,false"');
  });
});

describe("Automation settings, job names and result lines", () => {
  it("names every missing setting with CONFIG_MISSING and defaults ARM_BASE_URL", () => {
    const missing = (() => {
      try {
        readAutomationSettings({ AZURE_SUBSCRIPTION_ID: "s" });
      } catch (error) {
        return error as IntentError;
      }
    })();
    expect(missing?.code).toBe("CONFIG_MISSING");
    expect(missing?.details).toEqual({ missing: ["AZURE_RESOURCE_GROUP", "AUTOMATION_ACCOUNT_NAME"] });
    const settings = readAutomationSettings({ AZURE_SUBSCRIPTION_ID: "s", AZURE_RESOURCE_GROUP: "r", AUTOMATION_ACCOUNT_NAME: "a" });
    expect(settings).toEqual({ subscriptionId: "s", resourceGroup: "r", accountName: "a", baseUrl: "https://management.azure.com" });
  });

  it("derives a stable GUID-shaped job name per run and step", () => {
    const name = deterministicJobName("run-1", "convert");
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicJobName("run-1", "convert")).toBe(name);
    expect(deterministicJobName("run-1", "hide")).not.toBe(name);
    expect(deterministicJobName("run-2", "convert")).not.toBe(name);
    // The separator keeps ("ab","c") and ("a","bc") apart.
    expect(deterministicJobName("ab", "c")).not.toBe(deterministicJobName("a", "bc"));
  });

  it("takes the last JSON result line and ignores prose and other JSON", () => {
    const output = ['WARNING: module loaded', '{"status":"changed","reason":"first"}', '{"other":1}', '{"status":"ok","reason":"done","x":2}', ""].join("\n");
    expect(parseRunbookResult(output)).toEqual({ status: "ok", reason: "done", x: 2 });
    expect(parseRunbookResult("SUCCESS: Converted alex\n")).toBeUndefined();
    expect(parseRunbookResult('{"status":"weird"}\n{not json')).toBeUndefined();
  });
});
