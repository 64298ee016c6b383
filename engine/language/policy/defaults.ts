/**
 * The rules with no policy file: read and reversible intents for the target themself or their
 * manager, else an approval; destructive intents only for the authorised-requesters group (the
 * AUTHORISED_REQUESTERS_GROUP setting), else an approval.
 */
import { compileRule } from "./compile";
import type { DeploymentPolicy, PolicyRule, RiskTier } from "./types";

export function defaultRules(authorisedGroup: string | undefined): Record<RiskTier, PolicyRule> {
  const selfOrManager = { requesters: ["self" as const, "manager" as const], otherwise: "approve" as const };
  const authorised = authorisedGroup ? [{ group: authorisedGroup, name: "AUTHORISED_REQUESTERS_GROUP" }] : [];
  return {
    read: compileRule(selfOrManager, "built-in rules.read"),
    reversible: compileRule(selfOrManager, "built-in rules.reversible"),
    destructive: compileRule({ requesters: authorised, otherwise: "approve" }, "built-in rules.destructive"),
  };
}

export function defaultPolicy(authorisedGroup: string | undefined): DeploymentPolicy {
  return {
    rules: defaultRules(authorisedGroup),
    intents: new Map(),
    protected: { groups: [], accounts: [], exemptRoles: new Set() },
  };
}
