/**
 * Continuation messages carry the run's mapped input (a resumed run needs its secret fields), so they
 * are sealed with AES-256-GCM under a key derived from the shared secret: the queue, its poison
 * queue and storage tools see only ciphertext. Rotating the shared secret makes messages queued
 * before the rotation unreadable; their runs end as failed with a notification.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { IntentError } from "../../core/errors";

const INFO = "intent-runs continuation v1";

function keyFrom(sharedSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sharedSecret, "m365-intent-engine", INFO, 32));
}

export function seal(value: unknown, sharedSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(sharedSecret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function unseal(sealed: string, sharedSecret: string): unknown {
  try {
    const bytes = Buffer.from(sealed, "base64");
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(sharedSecret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text);
  } catch (cause) {
    throw new IntentError("RUN_ABANDONED", "A continuation message could not be opened.", {
      cause,
      fix: "The shared secret changed since the run was queued; send the request again from Thread.",
    });
  }
}
