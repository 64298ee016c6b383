/**
 * The outbound webhook's signature: `X-Intent-Signature: t=<unix seconds>,v1=<hex>` where hex is
 * HMAC-SHA256(key, `${t}.${body}`) over the exact body bytes. The timestamp is inside what is
 * signed, so a receiver that refuses stale ones (more than 5 minutes off) defeats a replay.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-intent-signature";
export const EVENT_ID_HEADER = "x-intent-event-id";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function digest(key: string, timestamp: number, body: string): string {
  return createHmac("sha256", key).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

export function signWebhook(body: string, key: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${digest(key, t, body)}`;
}

/** What a receiver does; exported for receivers written in TypeScript and for the tests. */
export function verifyWebhookSignature(body: string, header: string | null | undefined, key: string, nowMs: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== "string" || !/^[0-9a-f]{64}$/.test(parts.v1)) return false;
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(parts.v1, "hex"), Buffer.from(digest(key, t, body), "hex"));
}
