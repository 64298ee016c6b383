/** Rules as written → rules the decision reads (ids and addresses lower-cased, `max` as Infinity). */
import type { PolicyRule, PolicyRuleSpec, RequesterClause, RequesterSpec } from "./types";

function clause(spec: RequesterSpec): RequesterClause {
  if (spec === "self" || spec === "anyone") return { kind: spec };
  if (spec === "manager") return { kind: "manager", levels: 1 };
  if ("manager" in spec) return { kind: "manager", levels: spec.manager === "max" ? Number.POSITIVE_INFINITY : spec.manager };
  if ("group" in spec) return { kind: "group", id: spec.group.toLowerCase(), ...(spec.name ? { name: spec.name } : {}) };
  return { kind: "address", address: spec.address.trim().toLowerCase() };
}

export function compileRule(spec: PolicyRuleSpec, source: string): PolicyRule {
  return Object.freeze({
    requesters: Object.freeze(spec.requesters.map(clause)),
    otherwise: spec.otherwise,
    admit: new Set(spec.admit ?? []),
    source,
  });
}

/** How a requester entry reads in `intents docs` and `intents plan`. */
export function describeClause(requester: RequesterClause): string {
  switch (requester.kind) {
    case "self":
      return "the target themself";
    case "anyone":
      return "any member user";
    case "manager":
      return requester.levels === 1 ? "the target's manager" : requester.levels === Number.POSITIVE_INFINITY ? "anyone above the target in the manager chain" : `the target's managers up to ${requester.levels} levels`;
    case "group":
      return `members of ${requester.name ? `${requester.name} (${requester.id})` : `group ${requester.id}`}`;
    default:
      return requester.address;
  }
}

/** One line for a rule: who may ask, and what happens otherwise. */
export function describeRule(rule: PolicyRule): string {
  const who = rule.requesters.length === 0 ? "nobody" : rule.requesters.map(describeClause).join(", ");
  const admitted = rule.admit.size > 0 ? ` (also admits ${[...rule.admit].join(", ")} requesters)` : "";
  return `${who}${admitted}; otherwise ${rule.otherwise === "deny" ? "refused" : "approval"}`;
}
