import { IntentError } from "../../core/errors";

export const MAX_BODY_BYTES = 256 * 1024;
/** How long a body may take to arrive once its headers have. */
export const BODY_TIMEOUT_MS = 10_000;

function tooLarge(limit: number): IntentError {
  return new IntentError("WEBHOOK_TOO_LARGE", `The request body is larger than ${Math.round(limit / 1024)} KiB.`, {
    fix: "Send fewer or shorter intent fields.",
  });
}

function stalled(timeoutMs: number): IntentError {
  return new IntentError("WEBHOOK_BODY_TIMEOUT", `The request body did not arrive within ${timeoutMs} ms.`, {
    fix: "Send the whole body at once; a client that stalls mid-body is cut off.",
  });
}

/**
 * Reads the body, refusing it as soon as it passes the limit, so an oversized or endless body
 * never sits in memory whole. A Content-Length over the limit is refused before reading at all,
 * and a body that stops arriving is cut off after `timeoutMs` of wall time (a real timer, not the
 * run's clock: it bounds a wait on the network, like a step timeout).
 */
export async function readLimitedBody(
  body: AsyncIterable<Uint8Array> | null,
  contentLength: string | null,
  limit: number = MAX_BODY_BYTES,
  timeoutMs: number = BODY_TIMEOUT_MS,
): Promise<Buffer> {
  if (contentLength !== null && Number(contentLength) > limit) throw tooLarge(limit);
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(stalled(timeoutMs)), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(Buffer.from(next.value));
    }
  } catch (error) {
    // Stop reading without waiting: a read still pending on a stalled body would never settle.
    void iterator.return?.().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks, size);
}
