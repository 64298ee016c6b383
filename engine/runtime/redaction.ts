/**
 * Masks every known secret value as `***` wherever it appears in a string, at any depth. Secrets
 * become known as the run goes (secret fields first, then secret outputs as kinds produce them).
 */
import { unwrapPlaceholder } from "../template/placeholder";

export interface Redactor {
  add(secret: unknown): void;
  mask<T>(value: T): T;
  readonly secrets: readonly string[];
}

export const MASK = "***";

export function createRedactor(initial: readonly string[] = []): Redactor {
  let secrets: string[] = [];
  const add = (secret: unknown): void => {
    if (typeof secret !== "string" || secret === "" || secrets.includes(secret)) return;
    // Longest first, so a secret that contains another is masked whole.
    secrets = [...secrets, secret].sort((a, b) => b.length - a.length);
  };
  initial.forEach(add);
  const maskString = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join(MASK), text);
  const mask = (raw: unknown): unknown => {
    const value = unwrapPlaceholder(raw);
    if (secrets.length === 0) return value;
    if (typeof value === "string") return maskString(value);
    if (Array.isArray(value)) return value.map(mask);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
    }
    return value;
  };
  return {
    add,
    mask: <T>(value: T) => mask(value) as T,
    get secrets() {
      return secrets;
    },
  };
}
