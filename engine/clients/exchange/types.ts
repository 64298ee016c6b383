/**
 * The contract between the `exchange:cmdlet` kind and the Exchange Online admin API
 * (`POST {base}/adminapi/beta/{tenant}/InvokeCommand`). The kind renders a cmdlet call; the client
 * owns the allowed list's last check, tokens, retry, paging and Exchange's answer shapes.
 */
import type { RetryPolicy } from "../http/retry-policy";

/** The stable codes an Exchange answer maps to. */
export type ExchangeCode =
  | "EXCHANGE_NOT_FOUND"
  | "EXCHANGE_ALREADY_DONE"
  | "EXCHANGE_PERMISSION_DENIED"
  | "EXCHANGE_THROTTLED"
  | "EXCHANGE_ERROR";

export interface CmdletInvocation {
  /** A cmdlet from engine/contracts/exchange-cmdlets.ts; anything else is refused unsent. */
  cmdlet: string;
  /** Typed values (engine/contracts: string, boolean, list, `{ add, remove }`, null). */
  parameters: Readonly<Record<string, unknown>>;
  /**
   * The mailbox Exchange routes the call to (`X-AnchorMailbox: UPN:<address>`); absent = the
   * tenant's system mailbox, as app-only callers do.
   */
  anchorMailbox?: string;
}

export interface ExchangeCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface ExchangeAnswer {
  status: number;
  /** The cmdlet's output objects, every page of `value`. */
  value: unknown[];
  /** `@adminapi.warnings` of every page: Exchange's WARNING lines. */
  warnings: string[];
  /**
   * Set when the answer failed, or succeeded saying nothing changed (`EXCHANGE_ALREADY_DONE`):
   * the stable code, Exchange's own words and the exception type it named.
   */
  code?: ExchangeCode;
  message?: string;
  exception?: string;
  /** Requests sent, retries and pages included. */
  attempts: number;
  requestId?: string;
  /** An earlier attempt was sent and lost its answer (a gateway timeout, a dropped connection): it may have run the cmdlet. */
  afterLostAnswer?: boolean;
}

export interface ExchangeClient {
  /**
   * Runs one cmdlet. Every HTTP answer, error statuses included, comes back as an answer so
   * intents can map it to an outcome; only a refused cmdlet, a missing token, a timeout or an
   * unreachable service throws an IntentError.
   */
  invoke(invocation: CmdletInvocation, options?: ExchangeCallOptions): Promise<ExchangeAnswer>;
}
