/** Comparisons that explain themselves: each difference is one line naming where it is. */
import { isDeepStrictEqual } from "node:util";

export function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Every key the expectation names must hold the same value; an array must have the same length,
 * each item matched the same way; scalars compare exactly.
 */
export function subsetProblems(where: string, expected: unknown, actual: unknown): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${where}: expected ${show(expected)}, got ${show(actual)}`];
    return expected.flatMap((item, i) => subsetProblems(`${where}[${i}]`, item, actual[i]));
  }
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${where}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => subsetProblems(`${where}.${key}`, value, (actual as Record<string, unknown>)[key]));
  }
  return isDeepStrictEqual(expected, actual) ? [] : [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}

export function equalProblem(where: string, expected: unknown, actual: unknown): string[] {
  return isDeepStrictEqual(expected, actual) ? [] : [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}
