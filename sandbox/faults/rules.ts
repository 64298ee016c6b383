/**
 * Fault rules: what a benchmark or test asks the sandbox to do wrong. A rule matches a method and
 * a path pattern (`*` = any run of characters, matched against the full path such as
 * `/v1.0/users/x/assignLicense`), and applies for `times` matches, at a `rate`, or forever. A
 * `budget` rule is Graph's own throttling: a token bucket of resource units that answers 429 with
 * the Retry-After that lets enough units refill.
 */
export type FaultKind = "throttle" | "unavailable" | "timeout" | "error" | "latency" | "reset" | "budget";

export interface FaultRuleInput {
  kind: FaultKind;
  /** HTTP method to match; absent or "*" = any. */
  method?: string;
  /** Path pattern; absent or "*" = every path. */
  path?: string;
  /** Seconds for the Retry-After header (throttle: default 10; unavailable: none unless set). */
  retryAfter?: number;
  /** Added delay for `latency` rules. */
  latencyMs?: number;
  /** `budget` rules: resource units (x-ms-resource-unit) the matching requests may spend per window… */
  capacity?: number;
  /** …and the window's length; the budget refills evenly over it (identity's limit is per 10 s). */
  windowSeconds?: number;
  /** Apply to this many matching requests, then retire. */
  times?: number;
  /** Apply to this fraction (0..1) of matching requests, spread evenly (deterministic, so tests repeat). */
  rate?: number;
  /**
   * 0 ≤ phase < 1 (default 0): shifts where an evenly spread `rate` fires, so runs against fresh
   * sandboxes are not all faulted at the same request numbers, while staying deterministic.
   */
  phase?: number;
  /**
   * PSA simulators only: carry out the write first, then answer with the fault (or drop the
   * connection), so the client cannot tell whether its write happened: an ambiguous write.
   */
  afterApply?: boolean;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Matching requests seen so far. */
  matched: number;
  /** Times the rule was applied. */
  applied: number;
  /** `budget` rules: units left, and when they were last topped up (sandbox clock, ms). */
  tokens?: number;
  refilledAt?: number;
}

const KINDS: readonly FaultKind[] = ["throttle", "unavailable", "timeout", "error", "latency", "reset", "budget"];

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The first thing wrong with a rule from the control surface, or undefined. */
export function faultRuleProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a fault rule must be a JSON object";
  const rule = value as Record<string, unknown>;
  if (!KINDS.includes(rule.kind as FaultKind)) return `kind must be one of ${KINDS.join(", ")}`;
  if (rule.method !== undefined && typeof rule.method !== "string") return "method must be a string";
  if (rule.path !== undefined && typeof rule.path !== "string") return "path must be a string";
  if (rule.retryAfter !== undefined && !isNonNegativeNumber(rule.retryAfter)) return "retryAfter must be a number of seconds >= 0";
  if (rule.kind === "latency" && !isNonNegativeNumber(rule.latencyMs)) return "a latency rule needs latencyMs >= 0";
  if (rule.kind === "budget" && !(isNonNegativeNumber(rule.capacity) && rule.capacity > 0 && isNonNegativeNumber(rule.windowSeconds) && rule.windowSeconds > 0)) {
    return "a budget rule needs capacity > 0 and windowSeconds > 0";
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) > 0)) return "times must be a positive integer";
  if (rule.rate !== undefined && !(isNonNegativeNumber(rule.rate) && rule.rate <= 1)) return "rate must be between 0 and 1";
  if (rule.phase !== undefined && !(isNonNegativeNumber(rule.phase) && rule.phase < 1)) return "phase must be at least 0 and less than 1";
  if (rule.afterApply !== undefined && typeof rule.afterApply !== "boolean") return "afterApply must be true or false";
  return undefined;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${escaped}$`, "i");
}

export function ruleMatches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== "*" && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  return !rule.path || rule.path === "*" || patternToRegExp(rule.path).test(path);
}

/**
 * Counts a match and says whether the rule fires for it. A rate r fires on the matches where
 * floor(n·r) steps up, so exactly r of them fire, evenly spread, with no randomness.
 */
export function ruleFires(rule: FaultRule): boolean {
  if (rule.times !== undefined && rule.applied >= rule.times) return false;
  rule.matched += 1;
  const phase = rule.phase ?? 0;
  const fires = rule.rate === undefined || Math.floor(rule.matched * rule.rate + phase) > Math.floor((rule.matched - 1) * rule.rate + phase);
  if (fires) rule.applied += 1;
  return fires;
}

/**
 * Spends `cost` units from a budget rule at time `now`; returns undefined when they were there, or
 * the whole seconds to wait until they will be.
 */
export function spendBudget(rule: FaultRule, cost: number, now: number): number | undefined {
  const capacity = rule.capacity ?? 1;
  const perMs = capacity / ((rule.windowSeconds ?? 10) * 1000);
  const tokens = Math.min(capacity, (rule.tokens ?? capacity) + (now - (rule.refilledAt ?? now)) * perMs);
  rule.refilledAt = now;
  if (tokens >= cost) {
    rule.tokens = tokens - cost;
    return undefined;
  }
  rule.tokens = tokens;
  rule.applied += 1;
  return Math.max(1, Math.ceil((cost - tokens) / perMs / 1000));
}
