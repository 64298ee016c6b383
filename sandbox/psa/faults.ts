/**
 * Fault rules for a PSA simulator: the Graph sandbox's rule language (sandbox/faults/rules.ts),
 * with the answer left to the simulator so each PSA fails in its own words. `afterApply` makes a
 * write happen before the fault is answered: the client cannot tell whether it did.
 */
import { randomUUID } from "node:crypto";
import { ruleFires, ruleMatches, spendBudget, type FaultRule, type FaultRuleInput } from "../faults/rules";

export interface PsaFaultOutcome {
  latencyMs: number;
  /** The error rule that fired, if any; a budget rule reports as a throttle with its wait. */
  fault?: { kind: FaultRule["kind"]; retryAfter: number | undefined; afterApply: boolean };
}

export class PsaFaults {
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

  /** Every request costs one unit against a budget rule (PSAs count requests, not resource units). */
  evaluate(method: string, path: string): PsaFaultOutcome {
    const outcome: PsaFaultOutcome = { latencyMs: 0 };
    for (const rule of this.rules) {
      if (!ruleMatches(rule, method, path)) continue;
      if (rule.kind === "latency") {
        if (ruleFires(rule)) outcome.latencyMs += rule.latencyMs ?? 0;
      } else if (rule.kind === "budget") {
        const wait = outcome.fault ? undefined : spendBudget(rule, 1, this.now());
        if (wait !== undefined) outcome.fault = { kind: "throttle", retryAfter: wait, afterApply: false };
      } else if (!outcome.fault && ruleFires(rule)) {
        outcome.fault = { kind: rule.kind, retryAfter: rule.retryAfter, afterApply: rule.afterApply === true };
      }
    }
    return outcome;
  }
}
