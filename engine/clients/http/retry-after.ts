/**
 * Reads a `Retry-After` header: delta-seconds (what Graph sends) or an HTTP-date (RFC 9110
 * §10.2.3). Returns the wait in milliseconds from `nowMs`, 0 for a date already past, or
 * undefined when the header is absent or unreadable (the caller then backs off on its own).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a real date: Date.parse also accepts bare numbers and other loose forms.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
