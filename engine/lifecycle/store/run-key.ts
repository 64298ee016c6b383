import { hash } from "node:crypto";

// One-shot hash: half the cost of a Hash object, and every webhook computes two.
function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

/**
 * The idempotency key: ticket + canonical intent name + a hash of the identity fields, so an alias
 * and the canonical name share a key, and another genuine request on the same ticket gets its own.
 */
export function idempotencyKey(ticketId: string, canonicalIntentName: string, identity: string): string {
  return `${ticketId}|${canonicalIntentName}|${sha256(identity)}`;
}

/**
 * The run id is derived from the key, so every delivery of one webhook lands on one Table row (the
 * atomic claim) and a redelivery answers with the same runId. 128 bits of the hash are plenty.
 */
export function runIdFor(key: string): string {
  return sha256(key).slice(0, 32);
}

export function isRunId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}
