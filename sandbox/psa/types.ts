/** What every PSA simulator shares: one API call in, one vendor-shaped answer out. */
import type { FaultKind } from "../faults/rules";
import type { TicketBook } from "./tickets";

export interface PsaCall {
  method: string;
  /** The path without the query, as sent. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON, a form as an object, or undefined when there was no body. */
  body: unknown;
  /** False when a body was sent that could not be parsed. */
  bodyOk: boolean;
}

export interface PsaReply {
  status: number;
  /** Sent as JSON; undefined sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface PsaSimulator {
  /** For the request log and the start banner, e.g. "ConnectWise Manage". */
  readonly name: string;
  answer(call: PsaCall, env: PsaEnv): PsaReply;
  /** The vendor's own answer when a fault rule fires (`reset` and `latency` never get here). */
  faultReply(kind: FaultKind, retryAfterSeconds: number | undefined): PsaReply;
  /** Forgets issued access tokens (`DELETE /_sandbox/tokens`), where the PSA issues any. */
  revokeTokens?(): void;
}

export interface PsaEnv {
  tickets: TicketBook;
  now: () => number;
  /** The server's own URL, for answers that name it (Autotask's zone information). */
  url: string;
}
