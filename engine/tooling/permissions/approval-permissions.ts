/**
 * What approvals need of Graph when they are on (APPROVAL_SIGNING_KEY; the deploy script generates
 * one, so a deployment has them on): for each rule an intent is judged by that ends in `approve`
 * and names someone who could approve, the reads that find the approvers
 * (lifecycle/approval/approvers.ts) and the mail that asks them (approval/mail.ts, from
 * NOTIFICATION_MAILBOX). A rule whose approvers are nobody never mails anyone and needs nothing.
 */
import type { PolicyRule, RequesterClause } from "../../language/policy/types";

/** A permission the engine itself needs, and for what. */
export interface FeatureNeed {
  permission: string;
  feature: string;
}

export const APPROVER_MAIL: FeatureNeed = { permission: "Mail.Send", feature: "approvals: mail to each approver" };

/**
 * Per approver entry. A user read selects `accountEnabled` and `mail`, beyond the basic profile; a
 * group's transitive members are users read through the membership, whose properties Graph returns
 * only with the right to read users too (its "limited information" rule).
 */
const BY_CLAUSE: Partial<Record<RequesterClause["kind"], readonly FeatureNeed[]>> = {
  manager: [{ permission: "User.Read.All", feature: "approvals: the target's managers" }],
  address: [{ permission: "User.Read.All", feature: "approvals: approvers named by address" }],
  group: [
    { permission: "GroupMember.Read.All", feature: "approvals: members of approver groups" },
    { permission: "User.Read.All", feature: "approvals: members of approver groups" },
  ],
};

/** What the approvals under `rules` need, each permission once with every feature that needs it. */
export function approvalNeeds(rules: readonly PolicyRule[]): FeatureNeed[] {
  const needs: FeatureNeed[] = [];
  const add = (need: FeatureNeed) => {
    if (!needs.some((n) => n.permission === need.permission && n.feature === need.feature)) needs.push(need);
  };
  for (const rule of rules) {
    if (rule.otherwise !== "approve") continue;
    const approverNeeds = rule.requesters.flatMap((clause) => BY_CLAUSE[clause.kind] ?? []);
    if (approverNeeds.length === 0) continue;
    add(APPROVER_MAIL);
    approverNeeds.forEach(add);
  }
  return needs;
}
