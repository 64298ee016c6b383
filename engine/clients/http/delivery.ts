/**
 * What one delivery attempt to an outside system (a PSA, a webhook receiver) came to, read from
 * its HTTP exchange. The outbox decides retries from this alone:
 * - `retry` + `ambiguous: false`: the receiver provably did nothing (429, 503, 401/403, a
 *   connection never made), so sending again is safe;
 * - `retry` + `ambiguous: true`: it may have acted (500, 502, 504, a timeout, a broken
 *   connection), so look before sending again where the receiver allows it;
 * - `rejected`: sending again cannot help (404 unknown ticket, 400 refused body, …).
 */
import type { ExchangeResult } from "./exchange";
import { parseRetryAfter } from "./retry-after";

export type DeliveryOutcome =
  | { kind: "delivered"; status: number; body: string }
  | { kind: "retry"; status?: number; answer: string; retryAfterMs?: number; ambiguous: boolean }
  | { kind: "rejected"; status: number; answer: string };

const ANSWER_CHARS = 300;
/** Not done, and the same request may succeed later (credentials rotated, throttling over). */
const REFUSED_NOT_APPLIED = new Set([401, 403, 429, 503]);

/** The receiver's answer in one short line, for logs and the outbox row. */
export function answerText(status: number | undefined, text: string): string {
  const squashed = text.replace(/\s+/g, " ").trim();
  const clipped = squashed.length > ANSWER_CHARS ? `${squashed.slice(0, ANSWER_CHARS)}…` : squashed;
  return [status === undefined ? "" : String(status), clipped].filter(Boolean).join(" ");
}

export function deliveryOutcome(result: ExchangeResult, nowMs: number): DeliveryOutcome {
  if (result.kind === "timeout") return { kind: "retry", answer: "no answer before the timeout", ambiguous: true };
  if (result.kind === "network") return { kind: "retry", answer: `no answer (${result.code})`, ambiguous: !result.neverSent };
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: "delivered", status, body: result.text };
  const answer = answerText(status, result.text);
  const retryAfterMs = parseRetryAfter(result.headers["retry-after"], nowMs);
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (REFUSED_NOT_APPLIED.has(status)) return { kind: "retry", status, answer, ...wait, ambiguous: false };
  if (status === 408 || status >= 500) return { kind: "retry", status, answer, ...wait, ambiguous: true };
  return { kind: "rejected", status, answer };
}
