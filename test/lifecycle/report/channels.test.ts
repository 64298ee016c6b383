/**
 * The outbound webhook and the requester mail over real HTTP: the signature verifies (and a
 * tampered body, a stale timestamp or another key does not), a receiver's 500 is retried with the
 * same event id, its 410 is one report_failed; the mail goes through Graph's sendMail from the
 * notification mailbox, in plain text, to the requester only.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphClient } from "../../../engine/clients/graph/client";
import { OutboundHttp } from "../../../engine/clients/http/outbound";
import {
  EVENT_ID_HEADER, handleReportMessage, OutboxReporter, OutboxStore, requesterMailChannel, SIGNATURE_HEADER,
  verifyWebhookSignature, webhookChannel, type StateReport,
} from "../../../engine/lifecycle/report";
import { openTable } from "../../../engine/lifecycle/store/tables";
import { startSandbox, type Sandbox } from "../../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../../support/azurite";
import { createManualClock } from "../../support/manual-clock";
import { ClockQueue } from "./clock-queue";

const clock = createManualClock(Date.parse("2026-11-23T09:00:00Z"));
const KEY = "webhook-signing-key-1f7c";
let azurite: RunningAzurite;
let store: OutboxStore;
let sandbox: Sandbox;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
/** What the receiver answers next (then 200). */
const answers: number[] = [];
const http = new OutboundHttp();

beforeAll(async () => {
  azurite = await startTestAzurite();
  store = new OutboxStore(await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "reportoutbox"));
  sandbox = await startSandbox({ now: () => clock.now() });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/intents`;
});

afterAll(async () => {
  await http.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await sandbox?.close();
  await azurite?.close();
});

const SECRET = "Tmp-Pa55word-9x!";

function report(runId: string, overrides: Partial<StateReport> = {}): StateReport {
  return {
    state: "failed", accepted: true, secretValues: [SECRET],
    run: { runId, ticketId: "8101", intentName: "Password Reset", contactName: "Adele Vance", contactEmail: "adele.vance@contoso.com", companyName: "Contoso" },
    message: "The request could not be completed; the helpdesk has been told.",
    steps: [
      { id: "generate", kind: "secret:generate", status: "changed", attempts: 1, durationMs: 1 },
      { id: "reset", kind: "graph:request", status: "failed", attempts: 1, durationMs: 3, error: { code: "GRAPH_ERROR", message: `Graph refused ${SECRET}`, fix: "Check the user's password policy." } },
    ],
    error: { code: "GRAPH_ERROR", message: `Graph refused ${SECRET}`, fix: "Check the user's password policy." },
    ...overrides,
  };
}

function setup(target: "webhook" | "mail") {
  const queue = new ClockQueue(clock);
  const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const graph = createGraphClient({ baseUrl: sandbox.graphBaseUrl, tokens: { getToken: async () => "sandbox" }, clock });
  const channels = target === "webhook"
    ? { webhook: webhookChannel(http, receiverUrl, async () => KEY, clock) }
    : { "requester-mail": requesterMailChannel(graph, "isaiah.langer@contoso.com", clock) };
  const deliver = (raw: unknown) => handleReportMessage({ store, queue, clock, maxAttempts: 5, random: () => 0, channels }, raw, (event, fields) => { events.push({ event, fields }); });
  const reporter = new OutboxReporter({ store, queue, clock, targets: { psa: false, requesterMail: target === "mail", webhook: target === "webhook" } });
  return {
    events, reporter,
    settle: async () => { for (let i = 0; i < 20 && (await queue.step(deliver)); i++); },
  };
}

describe("outbound webhook", () => {
  it("signs the body with a timestamp; the receiver's check passes, and fails for any change", async () => {
    const h = setup("webhook");
    received.length = 0;
    await h.reporter.report(report("a".repeat(32)), () => undefined);
    await h.settle();
    expect(received).toHaveLength(1);
    const [hook] = received;
    const signature = String(hook?.headers[SIGNATURE_HEADER]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hook?.headers[EVENT_ID_HEADER]).toBe(`${"a".repeat(32)}:failed`);
    expect(hook?.headers["content-type"]).toBe("application/json");
    const body = hook?.body ?? "";
    expect(verifyWebhookSignature(body, signature, KEY, clock.now())).toBe(true);
    expect(verifyWebhookSignature(body.replace("failed", "succeeded"), signature, KEY, clock.now())).toBe(false);
    expect(verifyWebhookSignature(body, signature, "another-key-entirely", clock.now())).toBe(false);
    expect(verifyWebhookSignature(body, signature, KEY, clock.now() + 10 * 60_000)).toBe(false);
    expect(verifyWebhookSignature(body, "t=1,v1=zz", KEY, clock.now())).toBe(false);
    const document = JSON.parse(body);
    expect(document).toMatchObject({
      id: `${"a".repeat(32)}:failed`, type: "intent.run.state", runId: "a".repeat(32), ticketId: "8101", intent: "Password Reset", status: "failed",
      message: "The request could not be completed; the helpdesk has been told.",
      steps: [{ id: "generate", status: "changed" }, { id: "reset", status: "failed", error: { code: "GRAPH_ERROR", message: "Graph refused ***" } }],
    });
    expect(body).not.toContain(SECRET);
  });

  it("retries a receiver's 500 with the same event id, and gives up once on a 410", async () => {
    const h = setup("webhook");
    received.length = 0;
    answers.push(500, 503);
    await h.reporter.report(report("b".repeat(32)), () => undefined);
    await h.settle();
    expect(received.map((r) => r.headers[EVENT_ID_HEADER])).toEqual(Array(3).fill(`${"b".repeat(32)}:failed`));
    expect(h.events.filter((e) => e.event === "report_delivered")).toHaveLength(1);
    answers.push(410);
    await h.reporter.report(report("c".repeat(32)), () => undefined);
    await h.settle();
    expect(h.events.filter((e) => e.event === "report_failed").map((e) => e.fields)).toEqual([expect.objectContaining({ channel: "webhook", status: 410 })]);
  });
});

describe("requester mail", () => {
  it("mails the end-user sentence from the notification mailbox when a 202 run ends, masked", async () => {
    const h = setup("mail");
    const before = sandbox.tenant.sentMail.length;
    await h.reporter.report(report("d".repeat(32)), () => undefined);
    await h.settle();
    const mail = sandbox.tenant.sentMail.slice(before);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.message.toRecipients).toEqual([{ emailAddress: { address: "adele.vance@contoso.com" } }]);
    expect(mail[0]?.message.body).toMatchObject({ contentType: "Text" });
    expect(JSON.stringify(mail[0])).toContain("The request could not be completed; the helpdesk has been told.");
    expect(JSON.stringify(mail[0])).not.toContain(SECRET);
    expect(JSON.stringify(mail[0])).not.toContain("GRAPH_ERROR"); // internal detail stays with the technician
  });

  it("does not mail a run that answered synchronously, nor a state the requester was already told", async () => {
    const h = setup("mail");
    const before = sandbox.tenant.sentMail.length;
    await h.reporter.report(report("e".repeat(32), { accepted: false }), () => undefined);
    await h.reporter.report(report("f".repeat(32), { state: "awaiting_approval" }), () => undefined);
    await h.settle();
    expect(sandbox.tenant.sentMail.length).toBe(before);
  });
});
