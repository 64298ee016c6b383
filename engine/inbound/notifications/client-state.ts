/**
 * The clientState Graph echoes in each notification. It is derived from the shared secret (an
 * HMAC, so the secret itself never goes to Graph) and compared in constant time.
 */
import { createHash, createHmac } from "node:crypto";
import { sharedSecretMatches } from "../webhook/shared-secret";

export function clientStateFor(sharedSecret: string): string {
  // 43 characters: within Graph's 128-character limit.
  return createHmac("sha256", sharedSecret).update("graph-change-notifications/v1").digest("base64url");
}

/** Names a clientState in the subscription table without storing it. */
export function clientStateId(clientState: string): string {
  return createHash("sha256").update(clientState, "utf8").digest("hex").slice(0, 16);
}

export function clientStateMatches(presented: unknown, expected: string): boolean {
  return sharedSecretMatches(typeof presented === "string" ? presented : null, expected);
}
