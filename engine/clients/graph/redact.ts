/** Bearer tokens and JWTs look like this whatever credential produced them. */
const TOKEN_PATTERNS = [/Bearer\s+[\w.~+/=-]+/gi, /eyJ[\w-]+\.[\w-]+\.[\w-]*/g];

/** Removes known secret values and anything token-shaped from text bound for a message. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) clean = clean.split(secret).join("[redacted]");
  }
  for (const pattern of TOKEN_PATTERNS) clean = clean.replace(pattern, "[redacted]");
  return clean;
}
