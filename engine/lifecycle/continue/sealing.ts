/**
 * Continuation messages carry the run's mapped input (a resumed run needs its secret fields), the
 * run row keeps it while the run is unfinished (so an abandoned run can be resumed without its
 * request), and step checkpoints keep a generated credential until it is delivered, so all are sealed with
 * AES-256-GCM under a key derived from the shared secret (one key per purpose): the queue, its
 * poison queue, the tables and storage tools see only ciphertext. Rotating the shared secret makes
 * what was sealed before unreadable: queued runs end as failed with a notification.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { IntentError } from "../../core/errors";

/** What a sealed value is for: a key for one purpose never opens another's values. */
export type SealPurpose = "continuation" | "run-secrets" | "run-input";

const INFO: Record<SealPurpose, string> = {
  continuation: "intent-runs continuation v1", "run-secrets": "intent-runs step secrets v1", "run-input": "intent-runs kept input v1",
};

function keyFrom(sharedSecret: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", sharedSecret, "m365-intent-engine", INFO[purpose], 32));
}

const OPEN_FAILED: Record<SealPurpose, string> = {
  continuation: "A continuation message could not be opened.",
  "run-secrets": "A sealed step secret could not be opened.",
  "run-input": "The run's kept input could not be opened.",
};

export function seal(value: unknown, sharedSecret: string, purpose: SealPurpose = "continuation"): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(sharedSecret, purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function unseal(sealed: string, sharedSecret: string, purpose: SealPurpose = "continuation"): unknown {
  try {
    const bytes = Buffer.from(sealed, "base64");
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(sharedSecret, purpose), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text);
  } catch (cause) {
    throw new IntentError("RUN_ABANDONED", OPEN_FAILED[purpose], {
      cause,
      fix: "The shared secret changed since the run was queued; send the request again from Thread.",
    });
  }
}
