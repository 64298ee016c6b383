/**
 * The Function App with the real engine in a process of its own, for a test that kills it mid-run
 * (SIGKILL: no cleanup, no last write). Env: STORAGE, GRAPH_BASE_URL, ARM_BASE_URL.
 */
import { composeFromSettings } from "../../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer } from "../../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { DEMO_POLICY_PATH } from "../../../sandbox";
import { RECOVERY_SECRET, HELPDESK } from "../../support/recovery-stack";

async function main(): Promise<void> {
  const host = await composeFromSettings({
    AzureWebJobsStorage: process.env.STORAGE ?? "",
    GRAPH_BASE_URL: process.env.GRAPH_BASE_URL ?? "",
    GRAPH_ACCESS_TOKEN: "sandbox-token",
    ARM_BASE_URL: process.env.ARM_BASE_URL ?? "",
    ARM_ACCESS_TOKEN: "sandbox-arm-token",
    AZURE_SUBSCRIPTION_ID: "00000000-0000-4000-8000-00000000c0de",
    AZURE_RESOURCE_GROUP: "rg-recovery",
    AUTOMATION_ACCOUNT_NAME: "aa-recovery",
    INTENT_SHARED_SECRET: RECOVERY_SECRET,
    NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com",
    NOTIFICATION_EMAIL: "megan.bowen@contoso.com",
    HELPDESK_EMAIL: HELPDESK,
    MAIL_SENDER: "isaiah.langer@contoso.com",
    DEFAULT_USAGE_LOCATION: "US",
    RUN_BUDGET_MS: "60000",
    // The demo deployment's requester policy: the requester, Megan Bowen, is its Service Desk.
    POLICY_FILE: DEMO_POLICY_PATH,
  });
  const server = await startLocalServer({ routes: appRoutes(async () => host.deps), maxBodyBytes: MAX_BODY_BYTES });
  process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
}

void main();
