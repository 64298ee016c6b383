/**
 * The decision, as a pure function of the rule and the facts read from the tenant: protection
 * first (no rule can allow a write to a protected account), then who the requester is, then the
 * rule's requesters in order. Identities are compared by object id, never by the text sent.
 */
import type { Approver, PolicyDecision, PolicyRule, ProtectedAccounts, RequesterClause, RequesterKind, RiskTier } from "../../language/policy/types";
import { namesOf, type Person, type RequesterFacts, type TargetFacts } from "./facts";
import { refusalWording, type Refusal } from "./messages";

export interface DecisionInput {
  intent: { name: string; risk: RiskTier };
  rule: PolicyRule;
  protect: ProtectedAccounts;
  /** The engine's own mailboxes (NOTIFICATION_MAILBOX, MAIL_SENDER), lower-cased. */
  engineMailboxes: readonly string[];
  requester: RequesterFacts;
  /** Absent when the intent acts on no user. */
  target?: TargetFacts;
}

export interface Decided {
  decision: PolicyDecision;
  /** What to tell the requester and the engineer when the run does not go ahead. */
  refusal?: Refusal;
}

function requesterKind(person: Person | undefined): RequesterKind {
  if (!person) return "unknown";
  if (person.guest) return "guest";
  return person.enabled ? "member" : "disabled";
}

/** Why the target may not be written to by any webhook, or undefined. */
export function protectedBecause(target: TargetFacts, protect: ProtectedAccounts, engineMailboxes: readonly string[]): string | undefined {
  const person = target.person;
  if (!person) return undefined;
  const role = target.memberships.roles.find((r) => !protect.exemptRoles.has(r.roleTemplateId));
  if (role) return `holds the directory role ${role.displayName}`;
  // A scoped role's id names no template, so no exemption can match it.
  const other = (target.otherRoles ?? []).find((r) => r.kind === "scoped" || !protect.exemptRoles.has(r.roleId));
  if (other) {
    return other.kind === "eligible"
      ? `is eligible for the directory role ${other.name ?? other.roleId}`
      : `holds a directory role in an administrative unit`;
  }
  const group = protect.groups.find((g) => target.memberships.groups.has(g.id));
  if (group) return `is a member of the protected group ${group.name ?? target.memberships.groupNames.get(group.id) ?? group.id}`;
  const names = namesOf(person);
  if (protect.accounts.some((account) => names.includes(account))) return "is a protected account";
  if (engineMailboxes.some((mailbox) => names.includes(mailbox))) return "is the engine's own mailbox";
  return undefined;
}

/**
 * Whether one requester entry lets this requester in. A target that did not resolve is nobody's
 * self or report, and only entries naming trusted people (groups, addresses) may act on it: what
 * Graph cannot find may still be found by Exchange under another name, unjudged.
 */
function matches(clause: RequesterClause, requester: RequesterFacts, target: TargetFacts | undefined): string | undefined {
  const me = requester.person;
  if (target && !target.person && clause.kind !== "group" && clause.kind !== "address") return undefined;
  switch (clause.kind) {
    case "self":
      return me && target?.person && me.id === target.person.id ? "self" : undefined;
    case "manager": {
      if (!me || !target?.person) return undefined;
      const level = target.managers.slice(0, Number.isFinite(clause.levels) ? clause.levels : undefined).indexOf(me.id);
      return level < 0 ? undefined : level === 0 ? "manager" : `manager (level ${level + 1})`;
    }
    case "group":
      return me && requester.groups.has(clause.id) ? `group ${clause.name ?? clause.id}` : undefined;
    case "address": {
      const names = me ? namesOf(me).slice(1) : [requester.email.trim().toLowerCase()];
      return names.includes(clause.address) ? `address ${clause.address}` : undefined;
    }
    default:
      return me ? "anyone" : undefined;
  }
}

function approversFor(rule: PolicyRule, target: TargetFacts | undefined): Approver[] {
  const levels = rule.requesters.reduce((deepest, r) => (r.kind === "manager" ? Math.max(deepest, r.levels) : deepest), 0);
  const managers = (target?.managers ?? []).slice(0, Number.isFinite(levels) ? levels : undefined).map((id, i): Approver => ({ kind: "manager", id, level: i + 1 }));
  const groups = rule.requesters.flatMap((r): Approver[] => (r.kind === "group" ? [{ kind: "group", id: r.id, ...(r.name ? { name: r.name } : {}) }] : []));
  const addresses = rule.requesters.flatMap((r): Approver[] => (r.kind === "address" ? [{ kind: "address", address: r.address }] : []));
  return [...managers, ...groups, ...addresses];
}

export function decide(input: DecisionInput): Decided {
  const { rule, requester, target } = input;
  const kind = requesterKind(requester.person);
  const base = {
    requester: { email: requester.email, kind, ...(requester.person ? { id: requester.person.id, userPrincipalName: requester.person.userPrincipalName } : {}) },
    ...(target ? { target: { value: target.value, ...(target.person ? { id: target.person.id, userPrincipalName: target.person.userPrincipalName } : {}) } } : {}),
  };
  const refuse = (code: NonNullable<PolicyDecision["code"]>, source: string, reason: string, approvers: Approver[] = []): Decided => {
    const decision: PolicyDecision = { decision: code === "APPROVAL_REQUIRED" ? "approve" : "deny", code, rule: { source, reason }, ...base, approvers };
    return { decision, refusal: refusalWording(decision, rule, input.intent.name) };
  };
  if (target && input.intent.risk !== "read") {
    const because = protectedBecause(target, input.protect, input.engineMailboxes);
    if (because) return refuse("TARGET_PROTECTED", "protected accounts", `the target ${because}`);
  }
  if (kind !== "member" && !rule.admit.has(kind)) return refuse("POLICY_DENIED", rule.source, `the requester is ${kind === "unknown" ? "not in the tenant" : `a ${kind === "guest" ? "guest" : "disabled"} user`}`);
  for (const clause of rule.requesters) {
    const matched = matches(clause, requester, target);
    if (matched) return { decision: { decision: "allow", rule: { source: rule.source, reason: matched }, ...base, approvers: [] } };
  }
  // Nobody can approve a change to an account that does not exist: the address is wrong.
  if (target && !target.person) return refuse("POLICY_DENIED", rule.source, "the target is not in the tenant");
  if (rule.otherwise === "approve") return refuse("APPROVAL_REQUIRED", rule.source, "no requester entry matched; the rule asks for an approval", approversFor(rule, target));
  return refuse("POLICY_DENIED", rule.source, "no requester entry matched");
}
