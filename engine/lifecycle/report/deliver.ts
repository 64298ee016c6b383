/**
 * The outbox queue's handler: one attempt at one row. It claims the row (ETag), looks for an
 * earlier attempt's note when that attempt may have landed, sends, and settles the row:
 * delivered; failed (`report_failed`, once, with the receiver's answer) when sending again cannot
 * help or the attempts are used up; or pending again, queued after the backoff or Retry-After.
 * A store failure is thrown, so the queue brings the message back; the run is never touched.
 */
import type { DeliveryOutcome } from "../../clients/http/delivery";
import { ensureIntentError } from "../../core/errors";
import type { Clock, EventSink } from "../../runtime/types";
import { outboxDelay } from "./backoff";
import type { ReportChannel, ReportChannels } from "./channels";
import { parseOutboxRef, type OutboxQueue } from "./outbox-queue";
import type { OutboxStore } from "./outbox-store";
import type { OutboxRow } from "./types";

/** With the waits of backoff.ts (jittered, up to an hour apart), 48 attempts span 21 to 42 hours: a PSA down for most of a day, or a key fixed the next morning, still gets its notes. */
export const DEFAULT_MAX_ATTEMPTS = 48;
/** How long a worker owns a row it is sending; past it the sweeper may give the row to another. */
export const SEND_LEASE_MS = 120_000;
/** A message that arrives this much early (a sweeper's duplicate) is put back, not acted on. */
const EARLY_SLACK_MS = 1_000;

export interface DeliverDeps {
  store: OutboxStore;
  queue: OutboxQueue;
  channels: ReportChannels;
  clock: Clock;
  maxAttempts: number;
  random?: () => number;
}

type Settlement = { kind: "delivered"; recovered: boolean } | { kind: "failed"; status?: number; answer: string } | { kind: "retry"; outcome: Extract<DeliveryOutcome, { kind: "retry" }>; ambiguous: boolean };

export async function handleReportMessage(deps: DeliverDeps, raw: unknown, events: EventSink): Promise<void> {
  const ref = parseOutboxRef(raw);
  const row = await deps.store.read(ref.runId, ref.rowKey);
  if (!row) return;
  const now = deps.clock.now();
  if (row.status === "delivered" || row.status === "failed") {
    await deps.store.dropIndex(row.runId, row.rowKey);
    return;
  }
  if (row.status === "sending" && row.leaseUntil > now) return;
  if (row.status === "pending" && row.nextAttemptAt > now + EARLY_SLACK_MS) {
    await deps.queue.send(ref, row.nextAttemptAt - now);
    return;
  }
  // A row left `sending` by a worker that stopped may have reached the receiver.
  const claimed = await deps.store.update({
    ...row, status: "sending", attempts: row.attempts + 1, leaseUntil: now + SEND_LEASE_MS,
    ambiguous: row.ambiguous || row.status === "sending", updatedAt: new Date(now).toISOString(),
  });
  if (!claimed) return;
  const settlement = await attempt(deps.channels[claimed.channel], claimed).catch((thrown: unknown) => unsent(thrown, claimed));
  await settle(deps, claimed, settlement, events);
}

/**
 * A channel throws only before it sends (its secret could not be read from Key Vault, …), so the
 * receiver saw nothing: try again later, and say why without the error's internals.
 */
function unsent(thrown: unknown, row: OutboxRow): Settlement {
  const error = ensureIntentError(thrown);
  return { kind: "retry", outcome: { kind: "retry", answer: `not sent: ${error.code === "INTERNAL" ? "an unexpected error" : error.message}`, ambiguous: false }, ambiguous: row.ambiguous };
}

async function attempt(channel: ReportChannel | undefined, row: OutboxRow): Promise<Settlement> {
  if (!channel) return { kind: "failed", answer: `the ${row.channel} channel is no longer configured` };
  let ambiguous = row.ambiguous;
  if (ambiguous && channel.find) {
    const lookup = await channel.find(row);
    if (lookup.kind === "found") return { kind: "delivered", recovered: true };
    if (lookup.kind === "unknown") return retryOrFail(lookup.outcome, true);
    ambiguous = false; // looked, and nothing landed: a fresh start
  }
  const outcome = await channel.deliver(row);
  if (outcome.kind === "delivered") return { kind: "delivered", recovered: false };
  return retryOrFail(outcome, ambiguous);
}

function retryOrFail(outcome: DeliveryOutcome, ambiguousBefore: boolean): Settlement {
  if (outcome.kind === "delivered") return { kind: "delivered", recovered: false };
  if (outcome.kind === "rejected") return { kind: "failed", status: outcome.status, answer: outcome.answer };
  return { kind: "retry", outcome, ambiguous: ambiguousBefore || outcome.ambiguous };
}

async function settle(deps: DeliverDeps, row: OutboxRow, settlement: Settlement, events: EventSink): Promise<void> {
  const now = deps.clock.now();
  const stamp = new Date(now).toISOString();
  if (settlement.kind === "retry" && row.attempts < deps.maxAttempts) {
    const delayMs = outboxDelay(row.attempts, settlement.outcome.retryAfterMs, deps.random);
    const next = await deps.store.update({
      ...row, status: "pending", nextAttemptAt: now + delayMs, leaseUntil: 0, ambiguous: settlement.ambiguous,
      lastAnswer: settlement.outcome.answer, updatedAt: stamp,
    });
    if (!next) return;
    await deps.store.touchIndex(row.runId, row.rowKey, now + delayMs, now);
    await deps.queue.send({ runId: row.runId, rowKey: row.rowKey }, delayMs);
    const { status, answer } = settlement.outcome;
    // Flat literals (an undefined field is left out of the line): the README's queries name these fields.
    events("report_retry", { runId: row.runId, ticketId: row.ticketId, channel: row.channel, state: row.state, attempt: row.attempts, status, answer, delayMs });
    return;
  }
  const failed = settlement.kind !== "delivered";
  const answer = settlement.kind === "failed" ? settlement.answer : settlement.kind === "retry" ? settlement.outcome.answer : undefined;
  const settled = await deps.store.update({
    ...row, status: failed ? "failed" : "delivered", leaseUntil: 0, settledAt: stamp, updatedAt: stamp, ...(answer ? { lastAnswer: answer } : {}),
  });
  if (!settled) return;
  await deps.store.dropIndex(row.runId, row.rowKey);
  if (settlement.kind === "delivered") {
    const foundEarlierAttempt = settlement.recovered || undefined;
    events("report_delivered", { runId: row.runId, ticketId: row.ticketId, channel: row.channel, state: row.state, attempts: row.attempts, foundEarlierAttempt });
    return;
  }
  const status = settlement.kind === "failed" ? settlement.status : settlement.outcome.status;
  const reason = settlement.kind === "failed" ? "refused" : "attempts used up";
  events("report_failed", { runId: row.runId, ticketId: row.ticketId, channel: row.channel, state: row.state, attempts: row.attempts, status, answer, reason });
}
