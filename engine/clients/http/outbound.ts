/** HTTP to systems we report to (PSAs, webhook receivers): a keep-alive pool per origin, a deadline per request. */
import { Pool } from "./pool";
import { exchange, type ExchangeResult } from "./exchange";

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 15_000;

export interface OutboundRequest {
  method: "GET" | "POST";
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export class OutboundHttp {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly timeoutMs: number = DEFAULT_OUTBOUND_TIMEOUT_MS) {}

  send(request: OutboundRequest): Promise<ExchangeResult> {
    const url = new URL(request.url);
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, { connections: 4 });
      this.pools.set(url.origin, pool);
    }
    const headers = { accept: "application/json", ...request.headers };
    return exchange(pool, { method: request.method, pathAndQuery: url.pathname + url.search, headers, ...(request.body === undefined ? {} : { body: request.body }) }, this.timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }
}
