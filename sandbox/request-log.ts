/**
 * Every request the sandbox answered, for tests and benchmarks to count and inspect. Bodies are
 * kept with secret values and message contents masked: the log is a log, and secrets never go in
 * logs. A delivery mail carries a password in its text, so mail content is masked wherever it
 * appears (sendMail, or sendMail inside a `$batch`); the recipient's stored mailbox keeps it.
 */
export interface RequestLogEntry {
  method: string;
  /** Full path without the query, e.g. "/v1.0/users/x" or "/subscriptions/…". */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** ISO time the request arrived (sandbox clock). */
  time: string;
  durationMs: number;
  /**
   * Set when a fault replaced the answer after the request was carried out: the status the sandbox
   * had answered, while `status` is what the client saw (504, or 0 for a dropped connection).
   */
  appliedStatus?: number;
  /** The PSA simulators: the request's Accept header when it had one (ConnectWise pins its API version there). */
  accept?: string;
  /** Set on `$batch` items: the batch's own log sequence number and the item's id. */
  batch?: { sequence: number; itemId: string };
  /** Number given on arrival, never reused (clearing keeps counting), so batch items can point at their batch. */
  sequence: number;
}

const SECRET_KEY = /password|secret|token|temporaryAccessPass|clientState/i;
/** Enough for a long benchmark; the oldest entries go first beyond it. */
const MAX_ENTRIES = 50_000;

/** Graph's itemBody (`{ contentType, content }`) under a `body` key: the text of a mail or post. */
function isItemBody(key: string, value: unknown): value is Record<string, unknown> {
  return key.toLowerCase() === "body" && typeof value === "object" && value !== null && Object.keys(value).some((k) => k.toLowerCase() === "content");
}

function maskContent(itemBody: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(itemBody).map(([key, inner]) => [key, key.toLowerCase() === "content" ? "***" : inner]));
}

function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && typeof inner === "string") out[key] = "***";
    else if (isItemBody(key, inner)) out[key] = maskContent(inner);
    else out[key] = maskSecrets(inner);
  }
  return out;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSequence = 1;

  /** A sequence number, taken when a request arrives so `$batch` items can name their batch. */
  reserve(): number {
    return this.nextSequence++;
  }

  /** Records a finished request (entries are in order of completion). */
  add(sequence: number, entry: Omit<RequestLogEntry, "sequence">): void {
    this.entries.push({ ...entry, body: maskSecrets(entry.body), sequence });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
