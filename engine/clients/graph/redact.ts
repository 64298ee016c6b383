import { createRedactor, MASK } from "../../core/redaction";

/** Bearer tokens and JWTs look like this whatever credential produced them. */
const TOKEN_PATTERNS = [/Bearer\s+[\w.~+/=-]+/gi, /eyJ[\w-]+\.[\w-]+\.[\w-]*/g];
/** Shorter values would mask ordinary words of an identity provider's message. */
const MIN_SECRET_LENGTH = 4;

/** Masks known secret values (the run's redactor) and anything token-shaped in text bound for a message. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH);
  return TOKEN_PATTERNS.reduce((clean, pattern) => clean.replace(pattern, MASK), createRedactor(known).mask(text));
}
