import { Pool } from "../http/pool";
import { systemClock, type Clock } from "../../core/clock";
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../core/events";
import type { TokenProvider } from "../graph/auth";
import { createSender, type Sender, type SendTarget } from "../graph/sender";
import type { GraphResponse } from "../graph/types";
import { resolveRetryPolicy, type RetryPolicy } from "../http/retry-policy";
import { failureOf, unchangedWarning, warningsOf } from "./answers";
import { cmdletSpecOrRefuse, wireParameters } from "./parameters";
import { EXCHANGE_SERVICE } from "./service";
import { tenantOfToken } from "./tenant";
import type { CmdletInvocation, ExchangeAnswer, ExchangeCallOptions, ExchangeClient } from "./types";
import { systemMailboxAnchor } from "../../contracts/exchange-cmdlets";

export const DEFAULT_EXCHANGE_BASE_URL = "https://outlook.office365.com";
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CONNECTIONS = 8;
/** Exchange's own cap; fewer round trips for the rare cmdlet that lists. */
const PAGE_SIZE = 1000;
/** Stops a server that keeps handing out links from looping forever. */
const MAX_PAGES = 1_000;

export interface ExchangeClientOptions {
  /** `https://outlook.office365.com` (national clouds: their Exchange host; the sandbox: its URL). */
  baseUrl: string;
  /** The tenant's id (GUID) or initial domain for the path; absent = the token's `tid` claim. */
  tenantId?: string;
  tokens: TokenProvider;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Per attempt: cmdlets are slower than Graph calls. */
  timeoutMs?: number;
  events?: EventSink;
  connections?: number;
  random?: () => number;
}

/** The Exchange Online admin API client: one keep-alive pool, Graph's sender and retry policy. */
export function createExchangeClient(options: ExchangeClientOptions): ExchangeClient & { close(): Promise<void> } {
  const base = parseOrigin(options.baseUrl);
  const pool = new Pool(base.origin, { connections: options.connections ?? DEFAULT_CONNECTIONS });
  const clock = options.clock ?? systemClock;
  const send = createSender({
    dispatcher: pool,
    tokens: options.tokens,
    clock,
    policy: resolveRetryPolicy(options.retry),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    events: exchangeEvents(options.events),
    service: EXCHANGE_SERVICE,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  let tenant: Promise<string> | undefined;
  const tenantId = (): Promise<string> => (tenant ??= resolveTenant(options).catch((error: unknown) => {
    tenant = undefined;
    throw error;
  }));
  let closing: Promise<void> | undefined;

  return {
    async invoke(invocation, callOptions = {}) {
      const spec = cmdletSpecOrRefuse(invocation.cmdlet);
      const body = { CmdletInput: { CmdletName: invocation.cmdlet, Parameters: wireParameters(invocation.cmdlet, invocation.parameters) } };
      const id = await tenantId();
      const anchor = invocation.anchorMailbox === undefined ? systemMailboxAnchor(id) : `UPN:${invocation.anchorMailbox}`;
      const first: SendTarget = {
        method: "POST",
        pathAndQuery: `${base.basePath}/adminapi/beta/${encodeURIComponent(id)}/InvokeCommand`,
        label: { method: "POST", path: `InvokeCommand ${invocation.cmdlet}` },
        headers: { prefer: `odata.maxpagesize=${PAGE_SIZE}`, "x-anchormailbox": anchor, "x-cmdletname": invocation.cmdlet },
        body,
        idempotent: spec.idempotent,
      };
      return invokePages(send, base, first, callOptions);
    },
    close: () => (closing ??= pool.close()),
  };
}

/** The shared sender names its events graph.*; Exchange's calls are told apart as exchange.*. */
function exchangeEvents(sink: EventSink | undefined): EventSink {
  if (!sink) return () => undefined;
  return (event, fields) => sink(event.replace(/^graph\./, "exchange."), fields);
}

/** Follows `@odata.nextLink` (POSTing the same command), on the client's own origin only. */
async function invokePages(send: Sender, base: Origin, first: SendTarget, options: ExchangeCallOptions): Promise<ExchangeAnswer> {
  const value: unknown[] = [];
  const warnings: string[] = [];
  let attempts = 0;
  let target = first;
  for (let pages = 1; ; pages++) {
    const response = await send(target, options);
    attempts += response.attempts;
    if (response.status < 200 || response.status > 299) return failed(response, attempts, warnings);
    const page = (response.body ?? {}) as { value?: unknown; "@odata.nextLink"?: unknown };
    if (Array.isArray(page.value)) value.push(...(page.value as unknown[]));
    warnings.push(...warningsOf(response.body));
    const next = page["@odata.nextLink"];
    if (typeof next !== "string" || pages >= MAX_PAGES) return succeeded(response, value, warnings, attempts);
    target = { ...first, pathAndQuery: sameOriginPath(base, next, first) };
  }
}

function succeeded(response: GraphResponse, value: unknown[], warnings: string[], attempts: number): ExchangeAnswer {
  const unchanged = unchangedWarning(warnings);
  return {
    status: response.status,
    value,
    warnings,
    ...(unchanged === undefined ? {} : { code: "EXCHANGE_ALREADY_DONE" as const, message: unchanged }),
    attempts,
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    ...(response.afterLostAnswer ? { afterLostAnswer: true } : {}),
  };
}

function failed(response: GraphResponse, attempts: number, warnings: string[]): ExchangeAnswer {
  const failure = failureOf(response.status, response.body);
  return {
    status: response.status, value: [], warnings, ...failure, attempts,
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    ...(response.afterLostAnswer ? { afterLostAnswer: true } : {}),
  };
}

interface Origin {
  origin: string;
  /** A path prefix before `/adminapi` (empty for Exchange itself). */
  basePath: string;
}

function parseOrigin(baseUrl: string): Origin {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new IntentError("CONFIG_MISSING", `EXCHANGE_BASE_URL is not a URL: '${baseUrl}'`, { fix: `Set EXCHANGE_BASE_URL to e.g. ${DEFAULT_EXCHANGE_BASE_URL}.` });
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

/** The token goes nowhere but the Exchange host: a link elsewhere is refused, not followed. */
function sameOriginPath(base: Origin, link: string, first: SendTarget): string {
  let url: URL;
  try {
    url = new URL(link, base.origin);
  } catch {
    throw new IntentError("EXCHANGE_ERROR", `${first.label.path}: '@odata.nextLink' is not a URL`);
  }
  if (url.origin !== base.origin) {
    throw new IntentError("EXCHANGE_ERROR", `${first.label.path}: '@odata.nextLink' points to another host (${url.origin}); not followed`, {
      fix: "Check EXCHANGE_BASE_URL: it must be the host Exchange answers from.",
    });
  }
  return url.pathname + url.search;
}

async function resolveTenant(options: ExchangeClientOptions): Promise<string> {
  const configured = options.tenantId?.trim();
  if (configured) return configured;
  const fromToken = tenantOfToken(await options.tokens.getToken());
  if (fromToken) return fromToken;
  throw new IntentError("CONFIG_MISSING", "The Exchange admin API needs the tenant's id, and the access token does not carry one.", {
    fix: "Set EXCHANGE_TENANT_ID (or AZURE_TENANT_ID) to the tenant's id.",
  });
}
