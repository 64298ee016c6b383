/**
 * What requester policy itself needs of Graph, whatever the rules say: besides the users, managers
 * and memberships every intent's User.Read.All reads, the directory roles a target holds beyond an
 * activated role's membership (eligible through Privileged Identity Management, or in an
 * administrative unit), so such an administrator is protected too (lifecycle/policy/reads.ts).
 */
import type { FeatureNeed } from "./approval-permissions";

export const POLICY_NEEDS: readonly FeatureNeed[] = [
  { permission: "RoleManagement.Read.Directory", feature: "requester policy: targets' eligible and administrative-unit directory roles" },
];
