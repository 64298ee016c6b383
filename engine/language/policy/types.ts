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

export type RequesterKind = "member" | "guest" | "disabled" | "unknown";

export type Approver = { kind: "manager"; id: string; level: number } | { kind: "group"; id: string; name?: string } | { kind: "address"; address: string };

/**
 * What requester policy decided for one run, kept in its record and its `policy` event. Approvals
 * read it: `approve` decisions name who could approve.
 */
export interface PolicyDecision {
  decision: "allow" | "deny" | "approve";
  /** Set unless allowed. */
  code?: "POLICY_DENIED" | "TARGET_PROTECTED" | "APPROVAL_REQUIRED";
  /** The rule that decided (where it is written) and why: the clause that matched, or what refused. */
  rule: { source: string; reason: string };
  /** `meta_data.contact_email` and what it resolved to in the tenant. */
  requester: { email: string; kind: RequesterKind; id?: string; userPrincipalName?: string };
  /** The intent's target as given and the object it resolved to; absent for intents without a target. */
  target?: { value: string; id?: string; userPrincipalName?: string };
  /** For `approve`: the target's managers within the rule's levels (nearest first), then the rule's groups and addresses. */
  approvers: Approver[];
}
