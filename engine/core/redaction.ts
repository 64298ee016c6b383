/**
 * Masks every registered secret as `***` wherever it appears in a value, at any depth. Secrets
 * become known as the run goes (secret fields first, then secret outputs as kinds produce them).
 *
 * Where a secret "appears": wherever its exact text occurs in a string leaf, as the whole leaf or
 * inside longer text. Every occurrence of every secret is found in the original text; occurrences
 * that overlap or touch are merged into one stretch, and each stretch becomes one `***`. So no
 * character of an occurrence survives (whatever the secrets' order or overlap), and every
 * character outside the occurrences is kept as it was: text that holds no secret is returned
 * unchanged. Matching inside text is only sound for secrets too long to occur by chance in
 * ordinary words, so a secret shorter than MIN_SECRET_LENGTH characters is refused when it is
 * registered (SECRET_REFUSED), and every path that makes a secret keeps to that minimum.
 */
import { IntentError } from "./errors";
import { unwrapPlaceholder } from "./placeholder";

export interface Redactor {
  /** Registers a secret; null, undefined and "" are nothing to mask. Throws SECRET_REFUSED for a value it could not mask soundly. */
  add(secret: unknown): void;
  mask<T>(value: T): T;
  readonly secrets: readonly string[];
}

export const MASK = "***";

/** In characters (code points): a generated password, a Temporary Access Pass or a credential is never shorter. */
export const MIN_SECRET_LENGTH = 8;

/** True when `text` is long enough to be registered as a secret. */
export function maskableSecret(text: string): boolean {
  let count = 0;
  for (const _ of text) if (++count >= MIN_SECRET_LENGTH) return true;
  return false;
}

/** Covered stretches of `text`, merged and in order: [start, end) pairs. */
function occurrences(text: string, secrets: readonly string[]): number[] {
  const found: Array<[number, number]> = [];
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) found.push([at, at + secret.length]);
  }
  if (found.length === 0) return [];
  found.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [start, end] of found) {
    const last = merged.length - 1;
    if (last > 0 && start <= merged[last]!) merged[last] = Math.max(merged[last]!, end);
    else merged.push(start, end);
  }
  return merged;
}

/** A class, not closures: a redactor is made for every run, so its methods are shared. */
class SecretRedactor implements Redactor {
  private known: string[] = [];

  get secrets(): readonly string[] {
    return this.known;
  }

  add(secret: unknown): void {
    if (secret === null || secret === undefined || secret === "") return;
    if (typeof secret !== "string" && typeof secret !== "number") {
      throw new IntentError("SECRET_REFUSED", `A secret value must be text, not ${Array.isArray(secret) ? "a list" : typeof secret}; it was refused.`, {
        fix: "Declare as secret only a value that is one text, e.g. { value: \"{{response.body.temporaryAccessPass}}\", secret: true }.",
      });
    }
    const text = String(secret);
    if (!maskableSecret(text)) {
      throw new IntentError("SECRET_REFUSED", `A secret value shorter than ${MIN_SECRET_LENGTH} characters was refused: masking it would mask ordinary words.`, {
        fix: `Use secrets of at least ${MIN_SECRET_LENGTH} characters.`,
      });
    }
    if (this.known.includes(text)) return;
    this.known = [...this.known, text];
  }

  mask<T>(raw: T): T {
    return this.maskValue(raw) as T;
  }

  private maskValue(raw: unknown): unknown {
    const value = unwrapPlaceholder(raw);
    if (this.known.length === 0) return value;
    if (typeof value === "string") return this.maskString(value);
    if (Array.isArray(value)) return value.map((item) => this.maskValue(item));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskValue(v)]));
    }
    return value;
  }

  /**
   * Masking can join the text on either side of a mask into a secret that holds `***` itself, so
   * it repeats until nothing is found; each round shortens the text, so it ends.
   */
  private maskString(text: string): string {
    let out = text;
    for (let stretches = occurrences(out, this.known); stretches.length > 0; stretches = occurrences(out, this.known)) {
      let next = out.slice(0, stretches[0]);
      for (let i = 0; i < stretches.length; i += 2) next += MASK + out.slice(stretches[i + 1], stretches[i + 2] ?? out.length);
      out = next;
    }
    return out;
  }
}

export function createRedactor(initial: readonly string[] = []): Redactor {
  const redactor = new SecretRedactor();
  for (const secret of initial) redactor.add(secret);
  return redactor;
}
