/**
 * Requester policy without a tenant (`intents plan` with no Graph URL): the rule that would judge
 * the payload, in words and where it is written, and the reads that would decide, unsent.
 */
import type { GraphRequest } from "../../clients/graph/types";
import { describeRule } from "../../language/policy/compile";
import type { DeploymentPolicy } from "../../language/policy/types";
import { ruleFor, type PolicySubject } from "./gate";
import { policyReads } from "./reads";

export interface OfflinePolicy {
  decision: "not judged";
  rule: { source: string; says: string };
  requester: string;
  target?: string;
  /** What would be read to decide (the intent's own first reads ride in the same `$batch`). */
  reads: GraphRequest[];
}

export function offlinePolicy(policy: DeploymentPolicy, intent: PolicySubject, fields: Record<string, unknown>, contactEmail: string): OfflinePolicy {
  const rule = ruleFor(policy, intent);
  const target = intent.target === undefined ? undefined : String(fields[intent.target] ?? "");
  return {
    decision: "not judged",
    rule: { source: rule.source, says: describeRule(rule) },
    requester: contactEmail,
    ...(target === undefined ? {} : { target }),
    reads: policyReads(rule, contactEmail, target, intent.risk !== "read").map((read) => read.request),
  };
}
