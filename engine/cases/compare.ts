/** Comparisons that explain themselves: each difference is one line naming where it is. */
import { isDeepStrictEqual } from "node:util";

export function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Every key the expectation names must hold the same value; arrays and scalars compare exactly. */
export function subsetProblems(where: string, expected: unknown, actual: unknown): string[] {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${where}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => subsetProblems(`${where}.${key}`, value, (actual as Record<string, unknown>)[key]));
  }
  return isDeepStrictEqual(expected, actual) ? [] : [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}

export function equalProblem(where: string, expected: unknown, actual: unknown): string[] {
  return isDeepStrictEqual(expected, actual) ? [] : [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}
