/** The live fault rules and how a request meets them. */
import { randomUUID } from "node:crypto";
import { graphError } from "../graph/errors";
import type { GraphResult } from "../graph/types";
import { ruleFires, ruleMatches, type FaultRule, type FaultRuleInput } from "./rules";

export interface FaultOutcome {
  /** Delay to add before answering (sum of the latency rules that fired). */
  latencyMs: number;
  /** The answer to send instead of the real one, if an error rule fired. */
  result?: GraphResult;
}

export class FaultStore {
  private rules: FaultRule[] = [];

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

  /** Applies the rules to one request (or one `$batch` item) by full path, e.g. `/v1.0/users`. */
  evaluate(method: string, path: string): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 };
    for (const rule of this.rules) {
      if (!ruleMatches(rule, method, path)) continue;
      if (rule.kind === "latency") {
        if (ruleFires(rule)) outcome.latencyMs += rule.latencyMs ?? 0;
        continue;
      }
      if (outcome.result || !ruleFires(rule)) continue;
      outcome.result = faultResult(rule);
    }
    return outcome;
  }
}

function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { "retry-after": String(Math.ceil(seconds)) };
}

function faultResult(rule: FaultRule): GraphResult {
  switch (rule.kind) {
    case "throttle":
      return graphError(429, "TooManyRequests", "Please retry again later.", {
        innerError: { code: "429", status: "429", message: "Please retry after" },
        headers: {
          ...retryAfterHeader(rule.retryAfter ?? 10),
          "x-ms-throttle-scope": "Tenant_Application/ReadWrite/sandbox/sandbox",
          "x-ms-throttle-information": "ResourceUnitLimitExceeded",
        },
      });
    case "unavailable":
      return graphError(503, "serviceNotAvailable", "Service unavailable", { headers: retryAfterHeader(rule.retryAfter) });
    case "timeout":
      return graphError(504, "GatewayTimeout", "The gateway did not receive a response in time.");
    default:
      return { status: 0, reset: true };
  }
}
