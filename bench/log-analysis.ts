/** Figures read from the sandbox's request log: round trips, dependent waves, requester policy's share, Retry-After windows. */
import type { GraphRequest } from "../engine/clients/graph/types";
import { sentRequests, splitPolicyRequests } from "../engine/tooling/cases/requests";
import type { RequestLogEntry } from "../sandbox";

const startOf = (entry: RequestLogEntry): number => Date.parse(entry.time);
const endOf = (entry: RequestLogEntry): number => startOf(entry) + entry.durationMs;

/** HTTP round trips: a `$batch` counts once, its items not at all. */
export function roundTrips(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((entry) => entry.batch === undefined);
}

/**
 * Dependent round trips: requests that overlap in time were in flight together, so they form one
 * wave; a request that starts after every request of the current wave ended needed its answers.
 * Meaningful with added latency, where a round trip lasts far longer than the clock's resolution.
 */
export function dependentWaves(entries: readonly RequestLogEntry[]): number {
  const sorted = roundTrips(entries).slice().sort((a, b) => startOf(a) - startOf(b));
  let waves = 0;
  let waveEnd = Number.NEGATIVE_INFINITY;
  for (const entry of sorted) {
    if (startOf(entry) >= waveEnd) {
      waves++;
      waveEnd = endOf(entry);
    } else {
      waveEnd = Math.max(waveEnd, endOf(entry));
    }
  }
  return waves;
}

export interface PolicyShare {
  /** Requester policy's Graph reads (batch items and lone requests). */
  reads: number;
  /**
   * Round trips that carried nothing but policy reads: what the policy added to the run. 0 when
   * they all rode in the intent's own first `$batch`.
   */
  ownTrips: number;
}

/** How much of a run was requester policy's, given the requests its judgement says it sent. */
export function policyShare(entries: readonly RequestLogEntry[], policy: readonly GraphRequest[]): PolicyShare {
  const items = new Map<number, RequestLogEntry[]>();
  for (const entry of entries) if (entry.batch) items.set(entry.batch.sequence, [...(items.get(entry.batch.sequence) ?? []), entry]);
  let ownTrips = 0;
  for (const trip of roundTrips(entries)) {
    const { intentRequests, policyRequests } = splitPolicyRequests(sentRequests(items.get(trip.sequence) ?? [trip]), policy);
    if (policyRequests.length > 0 && intentRequests.length === 0) ownTrips++;
  }
  return { reads: splitPolicyRequests(sentRequests([...entries]), policy).policyRequests.length, ownTrips };
}

const identityOf = (entry: RequestLogEntry): string => `${entry.method} ${entry.path} ${JSON.stringify(entry.query)}`;

export interface WindowCheck {
  throttled: number;
  /** Requests for the same resource sent before the Retry-After of its 429 ran out. */
  inside: number;
  /** The earliest resend after a 429, in ms after the answer (Infinity when none was resent). */
  closestMs: number;
}

/**
 * For every 429 (a request or a `$batch` item), the next request for the same method, path and
 * query must arrive at least `retryAfterMs` after the 429 was answered. `$batch` items are logged
 * with their batch's times, so an item's window is checked against the batch that carried it.
 */
export function retryAfterWindows(entries: readonly RequestLogEntry[], retryAfterMs: number): WindowCheck {
  const bySequence = new Map(entries.map((entry) => [entry.sequence, entry]));
  const timing = (entry: RequestLogEntry): RequestLogEntry => (entry.batch ? bySequence.get(entry.batch.sequence) ?? entry : entry);
  const ordered = entries.slice().sort((a, b) => startOf(timing(a)) - startOf(timing(b)) || a.sequence - b.sequence);
  const check: WindowCheck = { throttled: 0, inside: 0, closestMs: Number.POSITIVE_INFINITY };
  ordered.forEach((entry, i) => {
    if (entry.status !== 429) return;
    check.throttled++;
    const answeredAt = endOf(timing(entry));
    const next = ordered.slice(i + 1).find((later) => identityOf(later) === identityOf(entry) && later !== entry);
    if (!next) return;
    const gap = startOf(timing(next)) - answeredAt;
    check.closestMs = Math.min(check.closestMs, gap);
    if (gap < retryAfterMs) check.inside++;
  });
  return check;
}
