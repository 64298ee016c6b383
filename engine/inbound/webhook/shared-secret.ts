import { createHash, timingSafeEqual } from "node:crypto";

export const SECRET_HEADER = "x-intent-secret";

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

// The expected secret changes only on rotation, so its digest is kept instead of hashed per request.
let expectedDigest: { secret: string; digest: Buffer } | undefined;

function digestOfExpected(expected: string): Buffer {
  if (expectedDigest?.secret !== expected) expectedDigest = { secret: expected, digest: digest(expected) };
  return expectedDigest.digest;
}

/**
 * Constant time whatever the lengths: both sides are hashed to 32 bytes first, so neither the
 * content nor the length of the expected secret leaks through timing.
 */
export function sharedSecretMatches(presented: string | null, expected: string): boolean {
  if (expected === "") return false; // an unset secret must never let an empty header in
  const ok = timingSafeEqual(digest(presented ?? ""), digestOfExpected(expected));
  return ok && presented !== null;
}
