/** The live fault rules and how a request meets them. */
import { randomUUID } from "node:crypto";
import { graphError } from "../graph/errors";
import type { GraphResult } from "../graph/types";
import { ruleFires, ruleMatches, spendBudget, type FaultRule, type FaultRuleInput } from "./rules";

export interface FaultOutcome {
  /** Delay to add before answering (sum of the latency rules that fired). */
  latencyMs: number;
  /** The answer to send instead of the real one, if an error rule fired. */
  result?: GraphResult;
  /** The answer that replaces the real one after the request was carried out (an `afterApply` rule). */
  afterwards?: GraphResult;
}

/** What is being asked: one request, or one `$batch` item (not a round trip of its own). */
export interface FaultRequest {
  method: string;
  /** Full path, e.g. `/v1.0/users`. */
  path: string;
  /** Resource units the request costs against a budget rule (0 = not counted, e.g. the $batch envelope). */
  cost: number;
  roundTrip: boolean;
}

export class FaultStore {
  private rules: FaultRule[] = [];

  constructor(private readonly now: () => number) {}

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...input, id: randomUUID(), matched: 0, applied: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Applies the rules to one request. A `$batch` item is no round trip of its own: latency and
   * reset rules pass it by, error and budget rules do not.
   */
  evaluate(request: FaultRequest): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 };
    for (const rule of this.rules) {
      if (!request.roundTrip && (rule.kind === "latency" || rule.kind === "reset")) continue;
      if (!ruleMatches(rule, request.method, request.path)) continue;
      if (rule.kind === "latency") {
        if (ruleFires(rule)) outcome.latencyMs += rule.latencyMs ?? 0;
      } else if (rule.kind === "budget") {
        const wait = outcome.result || request.cost === 0 ? undefined : spendBudget(rule, request.cost, this.now());
        if (wait !== undefined) outcome.result = throttled(wait);
      } else if (!outcome.result && !outcome.afterwards && ruleFires(rule)) {
        if (rule.afterApply) outcome.afterwards = faultResult(rule);
        else outcome.result = faultResult(rule);
      }
    }
    return outcome;
  }
}

function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { "retry-after": String(Math.ceil(seconds)) };
}

/** Graph's 429 (reference §9 sample), with the identity service's throttle headers. */
function throttled(retryAfterSeconds: number): GraphResult {
  return graphError(429, "TooManyRequests", "Please retry again later.", {
    innerError: { code: "429", status: "429", message: "Please retry after" },
    headers: {
      ...retryAfterHeader(retryAfterSeconds),
      "x-ms-throttle-scope": "Tenant_Application/ReadWrite/sandbox/sandbox",
      "x-ms-throttle-information": "ResourceUnitLimitExceeded",
    },
  });
}

function faultResult(rule: FaultRule): GraphResult {
  switch (rule.kind) {
    case "throttle":
      return throttled(rule.retryAfter ?? 10);
    case "unavailable":
      return graphError(503, "serviceNotAvailable", "Service unavailable", { headers: retryAfterHeader(rule.retryAfter) });
    case "timeout":
      return graphError(504, "GatewayTimeout", "The gateway did not receive a response in time.");
    case "error":
      return graphError(500, "generalException", "An unexpected error occurred.");
    default:
      return { status: 0, reset: true };
  }
}
