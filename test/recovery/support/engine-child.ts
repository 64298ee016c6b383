/**
 * The Function App with the real engine in a process of its own, for a test that kills it mid-run
 * (SIGKILL: no cleanup, no last write). Env: STORAGE, GRAPH_BASE_URL, ARM_BASE_URL. With SWEEP_AHEAD_MS
 * set it serves nothing: its clock runs that far ahead and it runs the abandoned-run sweep once
 * (an instance whose timer took a run over, to be killed in its turn).
 */
import { systemClock, type Clock } from "../../../engine/core/clock";
import { composeFromSettings } from "../../../engine/hosts/compose/from-settings";
import { sweepAbandonedRuns } from "../../../engine/lifecycle/continue/abandoned";
import { appRoutes, startLocalServer } from "../../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { DEMO_POLICY_PATH } from "../../../sandbox";
import { RECOVERY_SECRET, HELPDESK } from "../../support/recovery-stack";

async function main(): Promise<void> {
  const ahead = Number(process.env.SWEEP_AHEAD_MS ?? 0);
  const clock: Clock = { now: () => systemClock.now() + ahead, sleep: systemClock.sleep };
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
  }, { clock });
  if (ahead > 0) {
    process.stdout.write(JSON.stringify({ sweeping: true }) + "\n");
    const report = await sweepAbandonedRuns(host.deps, () => undefined);
    process.stdout.write(JSON.stringify({ swept: report }) + "\n");
    return;
  }
  const server = await startLocalServer({ routes: appRoutes(async () => host.deps), maxBodyBytes: MAX_BODY_BYTES });
  process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
}

void main();
