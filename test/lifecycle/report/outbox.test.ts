/**
 * The outbox over real HTTP and Azurite: one note per (run, state) whatever is redelivered or
 * retried; a PSA that answers 500 or 429 for a while gets the note later, after the backoff or its
 * Retry-After; a write whose answer was lost is found rather than sent twice; an unknown ticket is
 * one report_failed with the PSA's answer and no more requests; a lost queue message is swept.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PSA_KINDS, type PsaKind } from "../../../engine/clients/psa";
import { IntentError } from "../../../engine/core/errors";
import { openTable } from "../../../engine/lifecycle/store/tables";
import { DEFAULT_MAX_ATTEMPTS, handleReportMessage, OutboxReporter, OutboxStore, psaChannel, sweepOutbox, SWEEP_GRACE_MS, type StateReport } from "../../../engine/lifecycle/report";
import { startTestAzurite, type RunningAzurite } from "../../support/azurite";
import { createManualClock } from "../../support/manual-clock";
import { startPair, type PsaPair } from "../../clients/psa/support";
import { ClockQueue } from "./clock-queue";

const clock = createManualClock(Date.parse("2026-11-23T09:00:00Z"));
let azurite: RunningAzurite;
let store: OutboxStore;
const pairs = new Map<PsaKind, PsaPair>();
let ticket = 6000;

beforeAll(async () => {
  azurite = await startTestAzurite();
  store = new OutboxStore(await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "reportoutbox"));
  for (const kind of PSA_KINDS) pairs.set(kind, await startPair(kind, clock));
});

afterAll(async () => {
  for (const pair of pairs.values()) await pair.close();
  await azurite?.close();
});

interface Harness {
  pair: PsaPair;
  queue: ClockQueue;
  events: Array<{ event: string; fields: Record<string, unknown> }>;
  reporter: OutboxReporter;
  deliver(raw: unknown): Promise<void>;
  /** Runs the queue until it is empty (or `rounds` runs out), moving the clock to each message. */
  settle(rounds?: number): Promise<void>;
  notes(ticketId: string): ReturnType<PsaPair["server"]["tickets"]["list"]>;
  posts(): number;
}

function harness(kind: PsaKind, maxAttempts = 12): Harness {
  const pair = pairs.get(kind) as PsaPair;
  const queue = new ClockQueue(clock);
  const events: Harness["events"] = [];
  const sink = (event: string, fields: Record<string, unknown>) => { events.push({ event, fields }); };
  const channel = psaChannel(pair.connector);
  const deliver = (raw: unknown) => handleReportMessage({
    store, queue, clock, maxAttempts, random: () => 0, channels: { "psa-internal": channel, "psa-customer": channel },
  }, raw, sink);
  const isNotePost = (r: { method: string; path: string }) => r.method === "POST" && /notes$|\/api\/actions$/i.test(r.path);
  return {
    pair, queue, events, deliver,
    reporter: new OutboxReporter({ store, queue, clock, targets: { psa: true, requesterMail: false, webhook: false } }),
    async settle(rounds = 50) {
      for (let i = 0; i < rounds && (await queue.step(deliver)); i++);
    },
    notes: (ticketId) => pair.server.tickets.list(Number(ticketId)),
    posts: () => pair.server.requests().filter(isNotePost).length,
  };
}

function report(ticketId: string, state: StateReport["state"] = "succeeded", runId = `run${ticketId}`.padEnd(32, "0")): StateReport {
  return {
    state, accepted: false, secretValues: [],
    run: { runId, ticketId, intentName: "Password Reset", contactName: "Adele Vance", contactEmail: "adele@contoso.com", companyName: "Contoso" },
    message: "The password was reset; the temporary password was sent to the helpdesk.",
    steps: [{ id: "reset", kind: "graph:request", status: "changed", attempts: 1, durationMs: 3 }],
  };
}

const nextTicket = () => String(++ticket);
/** The note-writing path of each PSA, so a fault hits the write and not the lookup or the token. */
const WRITE_PATH: Record<PsaKind, string> = { connectwise: "*/service/tickets/*/notes", autotask: "*/Tickets/*/Notes", halopsa: "/api/Actions" };
const noop = () => undefined;

beforeEach(() => {
  for (const pair of pairs.values()) pair.server.faults.clear();
});

describe.each(PSA_KINDS)("outbox to %s", (kind) => {
  it("posts exactly one internal and one customer note per state, however often it is reported", async () => {
    const h = harness(kind);
    const id = nextTicket();
    await h.reporter.report(report(id), noop);
    await h.reporter.report(report(id), noop); // a redelivery reaching the same state
    await h.settle();
    await h.reporter.report(report(id), noop); // and once more after delivery
    await h.reporter.report(report(id, "failed"), noop); // another state is another note
    await h.settle();
    const notes = h.notes(id);
    expect(notes.map((n) => [n.internal, n.text.includes("/succeeded/") ? "succeeded" : "failed"])).toEqual([
      [true, "succeeded"], [false, "succeeded"], [true, "failed"], [false, "failed"],
    ]);
    expect(h.events.filter((e) => e.event === "report_delivered")).toHaveLength(4);
  });

  it("delivers later when the PSA answers 500 for a while, one note in the end", async () => {
    const h = harness(kind);
    const id = nextTicket();
    h.pair.server.faults.add({ kind: "error", method: "POST", path: WRITE_PATH[kind], times: 4 });
    await h.reporter.report(report(id), noop);
    await h.settle();
    expect(h.notes(id)).toHaveLength(2);
    const retries = h.events.filter((e) => e.event === "report_retry");
    expect(retries).toHaveLength(4);
    expect(retries.every((e) => e.fields.status === 500)).toBe(true);
    // Backoff doubles from 30 s (upper half with the jitter pinned low).
    expect(h.queue.sent.filter((s) => s.delayMs > 0).map((s) => s.delayMs)).toEqual([15_000, 15_000, 30_000, 30_000]);
  });

  it("waits out a 429's Retry-After before the next attempt", async () => {
    const h = harness(kind);
    const id = nextTicket();
    h.pair.server.faults.add({ kind: "throttle", method: "POST", path: WRITE_PATH[kind], retryAfter: 600, times: 1 });
    await h.reporter.report(report(id), noop);
    const start = clock.now();
    await h.queue.drain(h.deliver);
    expect(h.queue.sent.at(-1)?.delayMs).toBe(600_000);
    await h.settle();
    expect(h.notes(id)).toHaveLength(2);
    const post = h.pair.server.requests().filter((r) => r.method === "POST" && r.status < 300 && Date.parse(r.time) >= start);
    expect(post.some((r) => Date.parse(r.time) - start >= 600_000)).toBe(true);
  });

  it("finds a note whose answer was lost instead of posting it again", async () => {
    const h = harness(kind);
    const id = nextTicket();
    h.pair.server.faults.add({ kind: "reset", method: "POST", path: WRITE_PATH[kind], times: 2, afterApply: true });
    await h.reporter.report(report(id), noop);
    await h.settle();
    expect(h.notes(id)).toHaveLength(2);
    expect(h.events.filter((e) => e.event === "report_delivered").every((e) => e.fields.foundEarlierAttempt === true)).toBe(true);
  });

  it("logs an unknown ticket once as report_failed with the PSA's answer, and sends nothing more", async () => {
    const h = harness(kind);
    const before = h.posts();
    const unknown = report("900123", "succeeded", `${kind}900123`.padEnd(32, "0"));
    await h.reporter.report(unknown, noop);
    await h.settle();
    await h.reporter.report(unknown, noop); // redelivered: still nothing more
    await h.settle();
    const failed = h.events.filter((e) => e.event === "report_failed");
    expect(failed).toHaveLength(2); // the internal and the customer note, once each
    expect(failed[0]?.fields).toMatchObject({ status: 404, reason: "refused", attempts: 1 });
    expect(String(failed[0]?.fields.answer)).toContain("900123");
    expect(h.posts() - before).toBe(2);
  });
});

describe("outbox mechanics", () => {
  it("with the default attempts and the shortest waits, a PSA down for 20 hours still gets the note when it is back", async () => {
    const h = harness("connectwise", DEFAULT_MAX_ATTEMPTS);
    const id = nextTicket();
    h.pair.server.faults.add({ kind: "unavailable", method: "POST", path: WRITE_PATH.connectwise });
    const down = clock.now();
    await h.reporter.report(report(id), noop);
    while (clock.now() - down < 20 * 3_600_000) expect(await h.queue.step(h.deliver)).toBe(true);
    expect(h.events.filter((e) => e.event === "report_failed")).toEqual([]);
    h.pair.server.faults.clear();
    await h.settle();
    expect(h.notes(id).map((n) => n.internal)).toEqual([true, false]);
    expect(h.events.filter((e) => e.event === "report_failed")).toEqual([]);
  });

  it("gives up after the last attempt with one report_failed", async () => {
    const h = harness("connectwise", 3);
    const id = nextTicket();
    h.pair.server.faults.add({ kind: "unavailable", method: "POST", path: WRITE_PATH.connectwise });
    await h.reporter.report(report(id), noop);
    await h.settle();
    const failed = h.events.filter((e) => e.event === "report_failed");
    expect(failed.map((e) => e.fields)).toEqual([
      expect.objectContaining({ channel: "psa-internal", attempts: 3, status: 503, reason: "attempts used up" }),
      expect.objectContaining({ channel: "psa-customer", attempts: 3, status: 503, reason: "attempts used up" }),
    ]);
    expect(h.queue.size).toBe(0);
    const rows = await store.rowsOf(report(id).run.runId);
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed"]);
    expect(rows[0]?.lastAnswer).toContain("503");
  });

  it("a channel that cannot send (its secret unreadable) is tried again later, not stranded", async () => {
    const queue = new ClockQueue(clock);
    const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
    let vaultDown = true;
    const pair = pairs.get("connectwise") as PsaPair;
    const channel = psaChannel(pair.connector);
    const flaky = { ...channel, deliver: async (row: Parameters<typeof channel.deliver>[0]) => {
      if (vaultDown) throw new IntentError("CONFIG_MISSING", "The secret CONNECTWISE_PRIVATE_KEY could not be read from Key Vault.");
      return channel.deliver(row);
    } };
    const deliver = (raw: unknown) => handleReportMessage({ store, queue, clock, maxAttempts: 5, random: () => 0, channels: { "psa-internal": flaky, "psa-customer": flaky } }, raw, (event, fields) => { events.push({ event, fields }); });
    const reporter = new OutboxReporter({ store, queue, clock, targets: { psa: true, requesterMail: false, webhook: false } });
    const id = nextTicket();
    await reporter.report(report(id), noop);
    await queue.drain(deliver);
    expect(events.filter((e) => e.event === "report_retry").map((e) => e.fields.answer)).toEqual(Array(2).fill("not sent: The secret CONNECTWISE_PRIVATE_KEY could not be read from Key Vault."));
    vaultDown = false;
    for (let i = 0; i < 10 && (await queue.step(deliver)); i++);
    expect(pair.server.tickets.list(Number(id))).toHaveLength(2);
  });

  it("two workers on one message send once", async () => {
    const h = harness("halopsa");
    const id = nextTicket();
    await h.reporter.report(report(id), noop);
    const first = h.queue.sent[0];
    const raw = Buffer.from(JSON.stringify(first?.ref)).toString("base64");
    await Promise.all([h.deliver(raw), h.deliver(raw)]);
    await h.settle();
    expect(h.notes(id)).toHaveLength(2);
  });

  it("sweeps a row whose queue message was lost", async () => {
    const h = harness("autotask");
    const id = nextTicket();
    await h.reporter.report(report(id), noop);
    h.queue.lose();
    const sweep = () => sweepOutbox({ store, queue: h.queue, clock }, noop);
    await sweep();
    expect(h.queue.size).toBe(0); // not overdue yet
    clock.advance(SWEEP_GRACE_MS + 1);
    expect((await sweep()).requeued).toBe(2);
    await h.settle();
    expect(h.notes(id)).toHaveLength(2);
    clock.advance(SWEEP_GRACE_MS + 1);
    await sweep();
    const pending = (await store.pending()).filter((e) => e.runId === report(id).run.runId);
    expect(pending).toEqual([]);
  });
});
