/**
 * The sandbox's outgoing side of change notifications: the validation handshake a new subscription
 * must pass, and notification POSTs (changes and lifecycle events) to the registered URLs.
 */
import { randomBytes } from "node:crypto";
import type { GraphEnv } from "../graph/types";
import { subscriptionState, type Delivery } from "./state";

/** Graph gives the endpoint 10 seconds to answer the handshake. */
const VALIDATION_TIMEOUT_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 10_000;

function record(env: GraphEnv, delivery: Omit<Delivery, "time">): void {
  subscriptionState(env).deliveries.push({ ...delivery, time: new Date(env.now()).toISOString() });
}

/**
 * POSTs `?validationToken=…` and accepts only 200, text/plain, body equal to the token. The token
 * holds characters that need encoding, so an endpoint that echoes it still encoded fails, as on Graph.
 */
export async function validateEndpoint(env: GraphEnv, url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomBytes(8).toString("hex")} <&>`;
  const target = new URL(url);
  target.searchParams.set("validationToken", token);
  try {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "",
      signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
    });
    const text = await response.text();
    record(env, { url, kind: "validation", status: response.status, items: [] });
    return response.status === 200 && (response.headers.get("content-type") ?? "").startsWith("text/plain") && text === token;
  } catch {
    record(env, { url, kind: "validation", status: 0, items: [] });
    return false;
  }
}

async function post(env: GraphEnv, url: string, kind: Delivery["kind"], items: unknown[]): Promise<void> {
  let status = 0;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ value: items }),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch {
    // An unreachable endpoint is recorded, not retried: tests replay by hand what Graph would retry.
  }
  record(env, { url, kind, status, items });
}

/** Sends without blocking the Graph answer that caused it; the control surface can wait for it. */
export function deliver(env: GraphEnv, url: string, kind: "change" | "lifecycle", items: unknown[]): void {
  const { pending } = subscriptionState(env);
  const sending = post(env, url, kind, items).finally(() => pending.delete(sending));
  pending.add(sending);
}

export async function settle(env: GraphEnv): Promise<void> {
  const { pending } = subscriptionState(env);
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
