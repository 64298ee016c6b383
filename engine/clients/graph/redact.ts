import { createRedactor, MASK, maskableSecret } from "../../core/redaction";

/** Bearer tokens and JWTs look like this whatever credential produced them. */
const TOKEN_PATTERNS = [/Bearer\s+[\w.~+/=-]+/gi, /eyJ[\w-]+\.[\w-]+\.[\w-]*/g];
/**
 * Masks known secret values and anything token-shaped in text bound for a message. A credential
 * too short to register (a test value) is skipped: masking it would mask ordinary words of an
 * identity provider's message, and real client secrets and passwords are far longer.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const known = secrets.filter((secret): secret is string => secret !== undefined && maskableSecret(secret));
  return TOKEN_PATTERNS.reduce((clean, pattern) => clean.replace(pattern, MASK), createRedactor(known).mask(text));
}
