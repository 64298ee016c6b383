/**
 * Which Microsoft Graph application permissions grant a request, from Microsoft's permission
 * reference (graph-permissions.index.json, see LICENSE-graph-permissions.txt beside it): the
 * linter derives what an intent's requests need and checks it against what the intent declares.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { indexPath } from "./build";
import { SUPPLEMENT } from "./supplement";
import type { GraphPermissionIndex } from "./types";

export type { GraphPermissionIndex } from "./types";

let loaded: GraphPermissionIndex | undefined;

/** Read once, on first use: only the linter asks. */
export function permissionIndex(): GraphPermissionIndex {
  loaded ??= JSON.parse(readFileSync(join(__dirname, "graph-permissions.index.json"), "utf8")) as GraphPermissionIndex;
  return loaded;
}

export type PermissionName = "application" | "delegated" | "unknown";

/** Whether a name is an application permission, a delegated-only one, or neither (exact spelling). */
export function permissionKind(name: string): PermissionName {
  const index = permissionIndex();
  if (binarySearch(index.application, name)) return "application";
  if (binarySearch(index.delegated, name)) return "delegated";
  return "unknown";
}

function binarySearch(sorted: readonly string[], name: string): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const probe = sorted[mid]!;
    if (probe === name) return true;
    if (probe < name) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

export interface RequiredPermission {
  /** Every application permission that grants the request. */
  grantedBy: string[];
  /** The least privileged of them (Microsoft's marking; the first of a supplement entry). */
  least: string[];
}

/**
 * A request path as the reference writes it: lower case, every key `{id}`, no `$ref` (the
 * reference lists a reference's permissions on the navigation), no type cast segment
 * (`microsoft.graph.group`: the same request, its answer narrowed).
 */
function normalise(path: string): string[] {
  const segments = indexPath(path).split("/").filter((s) => s !== "" && !s.startsWith("microsoft.graph."));
  if (segments[segments.length - 1] === "$ref") segments.pop();
  return segments;
}

/**
 * The permissions that grant `method path`, or undefined when the reference does not know it. A
 * `{name}` segment where the reference has a fixed name (a collection chosen at run time) matches
 * any: the request is then granted by what grants any of the paths it can take.
 */
export function requiredPermissions(method: string, path: string): RequiredPermission | undefined {
  const segments = normalise(path);
  const key = `/${segments.join("/")}`;
  const verb = method.toUpperCase();
  const supplement = SUPPLEMENT[`${verb} ${key}`];
  if (supplement) return { grantedBy: [...supplement.permissions], least: supplement.permissions.slice(0, 1) };
  const index = permissionIndex();
  const exact = index.paths[key]?.[verb];
  const sets = exact !== undefined ? [exact] : Object.entries(index.paths).filter(([candidate, methods]) => methods[verb] !== undefined && matches(segments, candidate)).map(([, methods]) => methods[verb]!);
  if (sets.length === 0) return undefined;
  const granted = new Set<string>();
  const least = new Set<string>();
  for (const set of sets) {
    for (const entry of index.grants[set] ?? []) {
      const name = index.application[entry >> 1]!;
      granted.add(name);
      if (entry & 1) least.add(name);
    }
  }
  return { grantedBy: [...granted].sort(), least: [...least].sort() };
}

function matches(segments: readonly string[], candidate: string): boolean {
  const parts = candidate.split("/").filter((s) => s !== "");
  return parts.length === segments.length && parts.every((part, i) => part === segments[i] || segments[i] === "{id}");
}

/**
 * Permissions a declared one includes, beyond itself: `X.ReadWrite.S` includes `X.Read.S`,
 * `X.Read.S` includes `X.ReadBasic.S`, and a few named in Microsoft's permissions reference.
 * Deliberately short: a missing entry asks for a permission the app may already have; a wrong one
 * would pass an intent that fails at run time.
 */
const ALSO_GRANTS: Readonly<Record<string, readonly string[]>> = {
  "Directory.Read.All": ["User.Read.All", "Group.Read.All", "GroupMember.Read.All"],
  "Directory.ReadWrite.All": ["Directory.Read.All"],
  "Group.Read.All": ["GroupMember.Read.All"],
  "Group.ReadWrite.All": ["GroupMember.ReadWrite.All"],
};

function directlyGranted(permission: string): string[] {
  const granted = [...(ALSO_GRANTS[permission] ?? [])];
  const readWrite = /^(.+)\.ReadWrite(\..+)?$/.exec(permission);
  if (readWrite) granted.push(`${readWrite[1]}.Read${readWrite[2] ?? ""}`);
  const read = /^(.+)\.Read(\..+)?$/.exec(permission);
  const readBasic = read ? `${read[1]}.ReadBasic${read[2] ?? ""}` : undefined;
  // Only where Microsoft has one (User.ReadBasic.All, not Directory.ReadBasic.All).
  if (readBasic && permissionKind(readBasic) !== "unknown") granted.push(readBasic);
  return granted;
}

/** Every permission `permission` includes, transitively, itself excluded. */
export function grantedBy(permission: string): Set<string> {
  const seen = new Set<string>();
  const pending = directlyGranted(permission);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next) || next === permission) continue;
    seen.add(next);
    pending.push(...directlyGranted(next));
  }
  return seen;
}

/** The declared permissions, each with everything it includes. */
export function effectivePermissions(declared: readonly string[]): Set<string> {
  const all = new Set(declared);
  for (const name of declared) for (const included of grantedBy(name)) all.add(included);
  return all;
}
