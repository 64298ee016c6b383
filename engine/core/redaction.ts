/**
 * Masks every known secret value as `***` wherever it appears in a string, at any depth. Secrets
 * become known as the run goes (secret fields first, then secret outputs as kinds produce them).
 */
import { unwrapPlaceholder } from "./placeholder";

export interface Redactor {
  add(secret: unknown): void;
  mask<T>(value: T): T;
  readonly secrets: readonly string[];
}

export const MASK = "***";

/** A class, not closures: a redactor is made for every run, so its methods are shared. */
class SecretRedactor implements Redactor {
  private known: string[] = [];

  get secrets(): readonly string[] {
    return this.known;
  }

  add(secret: unknown): void {
    if (typeof secret !== "string" || secret === "" || this.known.includes(secret)) return;
    // Longest first, so a secret that contains another is masked whole.
    this.known = [...this.known, secret].sort((a, b) => b.length - a.length);
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

  private maskString(text: string): string {
    let out = text;
    for (const secret of this.known) out = out.split(secret).join(MASK);
    return out;
  }
}

export function createRedactor(initial: readonly string[] = []): Redactor {
  const redactor = new SecretRedactor();
  for (const secret of initial) redactor.add(secret);
  return redactor;
}
