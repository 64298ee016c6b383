import { IntentError } from "../../core/errors";

export const MAX_BODY_BYTES = 256 * 1024;

function tooLarge(limit: number): IntentError {
  return new IntentError("WEBHOOK_TOO_LARGE", `The request body is larger than ${Math.round(limit / 1024)} KiB.`, {
    fix: "Send fewer or shorter intent fields.",
  });
}

/**
 * Reads the body, refusing it as soon as it passes the limit, so an oversized or endless body
 * never sits in memory whole. A Content-Length over the limit is refused before reading at all.
 */
export async function readLimitedBody(
  body: AsyncIterable<Uint8Array> | null,
  contentLength: string | null,
  limit: number = MAX_BODY_BYTES,
): Promise<Buffer> {
  if (contentLength !== null && Number(contentLength) > limit) throw tooLarge(limit);
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}
