/** The demo tenant with a case's patches applied: a fresh copy per case, so cases never leak into each other. */
import { readFileSync } from "node:fs";
import { DEMO_FIXTURE_PATH, type TenantFixture } from "../../../sandbox";
import { IntentError } from "../../core/errors";
import type { FixturePatch } from "./types";
import { POLICY_NEEDS } from "../permissions/policy-permissions";

let demo: string | undefined;

function patchEach<T extends object>(items: T[], patches: Record<string, Record<string, unknown>> | undefined, keyOf: (item: T) => string, what: string): void {
  for (const [key, props] of Object.entries(patches ?? {})) {
    const target = items.find((item) => keyOf(item).toLowerCase() === key.toLowerCase());
    if (!target) throw new IntentError("SPEC_CASE_INVALID", `The fixture patch names ${what} ${key}, which the demo tenant does not have.`);
    Object.assign(target, props);
  }
}

export function caseFixture(patch: FixturePatch = {}): TenantFixture {
  demo ??= readFileSync(DEMO_FIXTURE_PATH, "utf8");
  const fixture = JSON.parse(demo) as TenantFixture;
  fixture.users.push(...((patch.addUsers ?? []) as unknown as TenantFixture["users"]));
  fixture.groups.push(...((patch.addGroups ?? []) as unknown as TenantFixture["groups"]));
  patchEach(fixture.users, patch.users, (u) => u.userPrincipalName, "user");
  patchEach(fixture.groups, patch.groups, (g) => g.id, "group");
  patchEach(fixture.skus, patch.skus, (s) => s.skuPartNumber, "SKU");
  // A case grants the intent's permissions; requester policy's own are granted in every deployment
  // (intents permissions lists them), so a case never fails on them.
  if (patch.permissions) fixture.permissions = [...new Set([...patch.permissions, ...POLICY_NEEDS.map((need) => need.permission)])];
  return fixture;
}
