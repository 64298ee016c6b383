/**
 * One engine process for the two-instance test: the composed host on the shared storage, sandbox
 * and intents, with its own manual clock, serving HTTP and taking commands on stdin (one JSON line
 * each, answered on stdout): `{"cmd":"timer","now":ms}` runs the minute timer at that instant,
 * `{"cmd":"drain","now":ms}` handles the continuation queue's visible messages, `{"cmd":"one","now":ms}`
 * takes a single message (so two processes can each hold one at the same time).
 * Env: STORAGE, GRAPH_URL, ARM_URL, EXCHANGE_URL, EXCHANGE_TENANT, INTENTS_DIR, and SNAPSHOT (+ SNAPSHOT_ENGINE): a catalogue
 * snapshot of INTENTS_DIR the test made once, so neither process compiles the YAML at start.
 * The first line says where it listens and where its catalogue came from.
 */
import { createInterface } from "node:readline";
import { QueueClient } from "@azure/storage-queue";
import { composeFromSettings } from "../../../engine/hosts/compose/from-settings";
import { continuationHandler } from "../../../engine/hosts/functions/handlers";
import { invokeQueue, invokeTimer } from "../../../engine/hosts/functions/invoke";
import { scheduleTimerHandler } from "../../../engine/hosts/functions/schedule-handlers";
import { appRoutes, startLocalServer } from "../../../engine/hosts/local/http-adapter";
import { startQueuePoller } from "../../../engine/hosts/local/queue-poller";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { CONTINUATION_QUEUE } from "../../../engine/lifecycle/continue/continuation-queue";
import { createManualClock } from "../../support/manual-clock";
import { DEMO_POLICY_PATH } from "../../../sandbox";
import { SECRET } from "./stack";

async function main(): Promise<void> {
  const env = process.env;
  const clock = createManualClock(Number(env.START_MS ?? Date.now()));
  let catalog = "unknown";
  const host = await composeFromSettings({
    AzureWebJobsStorage: env.STORAGE ?? "", GRAPH_BASE_URL: env.GRAPH_URL ?? "", GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: env.ARM_URL ?? "", ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: env.EXCHANGE_URL ?? "", EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: env.EXCHANGE_TENANT ?? "",
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    INTENT_SHARED_SECRET: SECRET, HELPDESK_EMAIL: "grace.taylor@contoso.com", MAIL_SENDER: "isaiah.langer@contoso.com", TENANT_TIME_ZONE: "Europe/London",
    // The demo deployment's requester policy: the requester, Megan Bowen, is its Service Desk.
    POLICY_FILE: DEMO_POLICY_PATH,
  }, {
    clock, intentsDir: env.INTENTS_DIR ?? "",
    ...(env.SNAPSHOT ? { catalogSnapshot: { path: env.SNAPSHOT, engine: env.SNAPSHOT_ENGINE ?? "" } } : {}),
    events: (event, fields) => {
      if (event === "catalog_loaded") catalog = String(fields.source);
    },
  });
  const deps = async () => host.deps;
  const events: string[] = [];
  const log = (_level: string, line: string) => void events.push(line);
  const server = await startLocalServer({ routes: appRoutes(deps), maxBodyBytes: MAX_BODY_BYTES, log });
  const continuations = startQueuePoller({ queue: new QueueClient(env.STORAGE ?? "", CONTINUATION_QUEUE), handler: continuationHandler(deps), log, retryAfterSeconds: 0 }, false);
  const timer = scheduleTimerHandler(deps);
  const queue = new QueueClient(env.STORAGE ?? "", CONTINUATION_QUEUE);
  const handler = continuationHandler(deps);
  /** One message, as the queue trigger hands it over: deleted when handled, left to come back when the handler throws. */
  async function takeOne(): Promise<number> {
    const [item] = (await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 300 })).receivedMessageItems;
    if (!item) return 0;
    try {
      await invokeQueue(handler, "continueRun", Buffer.from(item.messageText, "base64").toString("utf8"), item.dequeueCount, log);
      await queue.deleteMessage(item.messageId, item.popReceipt);
    } catch {
      await queue.updateMessage(item.messageId, item.popReceipt, undefined, 0);
    }
    return 1;
  }
  process.stdout.write(JSON.stringify({ url: server.url, catalog }) + "\n");
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { cmd: "timer" | "drain" | "one"; now: number };
    clock.advance(command.now - clock.now());
    events.length = 0;
    let handled = 0;
    if (command.cmd === "timer") await invokeTimer(timer, "startScheduledRuns", log);
    else if (command.cmd === "one") handled = await takeOne();
    else handled = await continuations.pollOnce();
    const seen = events.map((e) => (JSON.parse(e) as { event: string }).event);
    process.stdout.write(JSON.stringify({ handled, events: seen }) + "\n");
  }
}

main().catch((error: unknown) => {
  // The test waits for the first line: say why there will be none, and end.
  process.stderr.write(`engine-child: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
