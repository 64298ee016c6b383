/** Codes of failures where the request provably never left this machine. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** The `code` of a transport error (Node and undici both use one), or a generic name. */
export function networkErrorCode(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) return networkErrorCode(cause);
  }
  return "NETWORK_ERROR";
}

/** True when the connection was never made, so even a non-idempotent request may be resent. */
export function requestNeverSent(error: unknown): boolean {
  return NOT_SENT_CODES.has(networkErrorCode(error));
}
