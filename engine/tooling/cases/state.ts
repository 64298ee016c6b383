/** Checks the sandbox tenant after a case: users by UPN, group membership by UPN, SKUs, mail sent. */
import type { TenantState } from "../../../sandbox";
import { equalProblem, subsetProblems } from "./compare";
import type { ExpectedState } from "./types";

function userByUpn(tenant: TenantState, upn: string) {
  return tenant.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
}

export function stateProblems(expected: ExpectedState, tenant: TenantState): string[] {
  const problems: string[] = [];
  for (const [upn, props] of Object.entries(expected.users ?? {})) {
    const user = userByUpn(tenant, upn);
    if (props === null) {
      if (user) problems.push(`state.users.${upn}: expected no such user, found ${user.id}`);
    } else if (!user) {
      problems.push(`state.users.${upn}: no such user in the tenant`);
    } else {
      problems.push(...subsetProblems(`state.users.${upn}`, props, user));
    }
  }
  for (const [id, membership] of Object.entries(expected.groups ?? {})) {
    const group = tenant.groups.find((g) => g.id === id);
    if (!group) {
      problems.push(`state.groups.${id}: no such group in the tenant`);
      continue;
    }
    const isMember = (upn: string): boolean => group.members.includes(userByUpn(tenant, upn)?.id ?? `missing:${upn}`);
    for (const upn of membership.includes ?? []) if (!isMember(upn)) problems.push(`state.groups.${id}: ${upn} is not a member`);
    for (const upn of membership.excludes ?? []) if (isMember(upn)) problems.push(`state.groups.${id}: ${upn} is still a member`);
  }
  for (const [partNumber, props] of Object.entries(expected.skus ?? {})) {
    const sku = tenant.skus.find((s) => s.skuPartNumber === partNumber);
    problems.push(...(sku ? subsetProblems(`state.skus.${partNumber}`, props, sku) : [`state.skus.${partNumber}: no such SKU`]));
  }
  if (expected.sentMail !== undefined) problems.push(...equalProblem("state.sentMail (count)", expected.sentMail, tenant.sentMail.length));
  return problems;
}
