/** HTTP for the PSA connectors: one keep-alive pool per origin, a deadline per request. */
import { Pool } from "undici";
import { exchange, type ExchangeResult } from "../http/exchange";

export const DEFAULT_PSA_TIMEOUT_MS = 15_000;

export interface PsaRequest {
  method: "GET" | "POST";
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export class PsaHttp {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly timeoutMs: number = DEFAULT_PSA_TIMEOUT_MS) {}

  send(request: PsaRequest): Promise<ExchangeResult> {
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

/** A base URL without its trailing slashes. */
export function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/** A PSA's JSON, or undefined when the body is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True when `list` is an array holding an item whose `field` text contains the marker. */
export function containsMarker(list: unknown, field: string, marker: string): boolean {
  return Array.isArray(list) && list.some((item: unknown) => {
    const text = typeof item === "object" && item !== null ? (item as Record<string, unknown>)[field] : undefined;
    return typeof text === "string" && text.includes(marker);
  });
}
