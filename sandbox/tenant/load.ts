/**
 * Turns a fixture (object or JSON file) into a live tenant. The fixture is deep-copied so a test's
 * object, or the shipped demo file, is never changed by the requests that follow.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IntentError } from "../../engine/core/errors";
import type { TenantFixture, TenantState } from "./types";

export const DEMO_FIXTURE_PATH = join(__dirname, "..", "fixtures", "demo-tenant.json");
/** The demo deployment's requester policy (names the demo tenant's groups and accounts). */
export const DEMO_POLICY_PATH = join(__dirname, "..", "fixtures", "demo-policy.yaml");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the fixture's outline; a clear message beats a TypeError deep inside a route. */
function fixtureProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "the fixture must be a JSON object";
  if (typeof value.tenantId !== "string") return "tenantId must be a string";
  for (const key of ["domains", "users", "groups", "skus"] as const) {
    if (!Array.isArray(value[key])) return `${key} must be an array`;
  }
  for (const [i, user] of (value.users as unknown[]).entries()) {
    if (!isObject(user) || typeof user.id !== "string" || typeof user.userPrincipalName !== "string") {
      return `users[${i}] needs a string id and userPrincipalName`;
    }
  }
  for (const [i, group] of (value.groups as unknown[]).entries()) {
    if (!isObject(group) || typeof group.id !== "string" || !Array.isArray(group.members)) return `groups[${i}] needs a string id and a members array`;
  }
  if (value.directoryRoles !== undefined) {
    if (!Array.isArray(value.directoryRoles)) return "directoryRoles must be an array";
    for (const [i, role] of (value.directoryRoles as unknown[]).entries()) {
      if (!isObject(role) || typeof role.id !== "string" || typeof role.roleTemplateId !== "string" || !Array.isArray(role.members)) {
        return `directoryRoles[${i}] needs a string id and roleTemplateId and a members array`;
      }
    }
  }
  if (value.permissions !== undefined && !Array.isArray(value.permissions)) return "permissions must be an array of strings";
  if (value.exchangeCmdlets !== undefined && !Array.isArray(value.exchangeCmdlets)) return "exchangeCmdlets must be an array of strings";
  return undefined;
}

/** A live tenant from a fixture object; throws SANDBOX_FIXTURE_INVALID when it is malformed. */
export function tenantFromFixture(fixture: unknown): TenantState {
  const problem = fixtureProblem(fixture);
  if (problem) throw new IntentError("SANDBOX_FIXTURE_INVALID", `Invalid tenant fixture: ${problem}.`);
  const copy = structuredClone(fixture) as TenantFixture;
  for (const user of copy.users) {
    user.assignedLicenses ??= [];
    user.authenticationMethods ??= [];
  }
  for (const group of copy.groups) group.groupTypes ??= [];
  return { ...copy, directoryRoles: copy.directoryRoles ?? [], sentMail: copy.sentMail ?? [] };
}

/** Reads a fixture file (JSON) and loads it. */
export function tenantFromFile(path: string): TenantState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new IntentError("SANDBOX_FIXTURE_INVALID", `Cannot read tenant fixture ${path}.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new IntentError("SANDBOX_FIXTURE_INVALID", `Tenant fixture ${path} is not valid JSON.`, { cause: error });
  }
  return tenantFromFixture(parsed);
}

/** Replaces the contents of a live tenant in place, so every holder of the object sees the new state. */
export function replaceTenant(target: TenantState, next: TenantState): void {
  for (const key of Object.keys(target) as (keyof TenantState)[]) delete target[key];
  Object.assign(target, next);
}
