/**
 * Requester policy as written (a policy file, an intent's `policy:`) and as compiled. The decision
 * itself is made in engine/lifecycle/policy; this is only what the rules say.
 */

export type RiskTier = "read" | "reversible" | "destructive";

export interface GroupRefSpec {
  group: string;
  name?: string;
}

/** One requester entry as written. */
export type RequesterSpec = "self" | "manager" | "anyone" | { manager: number | "max" } | GroupRefSpec | { address: string };

export type AdmittedRequester = "guest" | "disabled" | "unknown";

export interface PolicyRuleSpec {
  requesters: RequesterSpec[];
  otherwise: "deny" | "approve";
  admit?: AdmittedRequester[];
}

export interface PolicyFileSpec {
  apiVersion: string;
  kind: "Policy";
  rules?: Partial<Record<RiskTier, PolicyRuleSpec>>;
  intents?: Record<string, PolicyRuleSpec>;
  protected?: { groups?: GroupRefSpec[]; accounts?: string[]; exemptRoles?: string[] };
}

/** A requester entry, compiled; ids and addresses lower-cased once. */
export type RequesterClause =
  | { kind: "self" }
  | { kind: "anyone" }
  /** Up to `levels` managers up the target's chain; Infinity = the whole chain (`max`). */
  | { kind: "manager"; levels: number }
  | { kind: "group"; id: string; name?: string }
  | { kind: "address"; address: string };

export interface PolicyRule {
  requesters: readonly RequesterClause[];
  otherwise: "deny" | "approve";
  admit: ReadonlySet<AdmittedRequester>;
  /** Where the rule is written, for the `policy` event and `intents docs`: `policy.yaml rules.reversible`, `built-in rules.destructive`, … */
  source: string;
}

export interface ProtectedAccounts {
  /** Group object ids, lower-cased, with the name the file gave for the reader. */
  groups: ReadonlyArray<{ id: string; name?: string }>;
  /** UPNs, mail addresses or object ids, lower-cased. */
  accounts: readonly string[];
  /** roleTemplateIds, lower-cased, whose holders are not protected for that role alone. */
  exemptRoles: ReadonlySet<string>;
}

/** The deployment's policy: a rule per risk tier, per-intent rules by normalised intent name, protected accounts. */
export interface DeploymentPolicy {
  /** The file it came from; undefined = the built-in defaults. */
  file?: string;
  rules: Readonly<Record<RiskTier, PolicyRule>>;
  intents: ReadonlyMap<string, PolicyRule>;
  protected: ProtectedAccounts;
}
