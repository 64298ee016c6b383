/**
 * Derives the compact Graph permission index from Microsoft's permission reference
 * (microsoftgraph/microsoft-graph-devx-content, permissions/new/permissions.json, MIT): for each
 * API path and method, the application permissions that grant it, least privileged ones marked.
 * Delegated-only permissions are kept by name only, so lint can say why one does not fit an app.
 */
import type { GraphPermissionIndex } from "./types";

interface PathSet {
  schemeKeys: string[];
  methods: string[];
  paths: Record<string, string>;
}

interface PermissionEntry {
  schemes?: Record<string, unknown>;
  pathSets?: PathSet[];
}

/** `/users/{user-id}/memberOf` → `/users/{id}/memberof`: the form the index and its lookups share. */
export function indexPath(path: string): string {
  return path.toLowerCase().replace(/\{[^}]*\}/g, "{id}");
}

export function buildPermissionIndex(reference: { permissions: Record<string, PermissionEntry> }): GraphPermissionIndex {
  const entries = Object.entries(reference.permissions);
  const application = entries.filter(([, p]) => p.schemes && "Application" in p.schemes).map(([name]) => name).sort();
  const delegated = entries.filter(([, p]) => !(p.schemes && "Application" in p.schemes)).map(([name]) => name).sort();
  const position = new Map(application.map((name, i) => [name, i]));
  // path → method → permission indexes, each doubled, +1 when least privileged for applications.
  const byPath = new Map<string, Map<string, Set<number>>>();
  for (const [name, permission] of entries) {
    const i = position.get(name);
    if (i === undefined) continue;
    for (const set of permission.pathSets ?? []) {
      if (!set.schemeKeys.includes("Application")) continue;
      for (const [path, flags] of Object.entries(set.paths)) {
        const least = /least=[^;]*\bApplication\b/.test(flags);
        const methods = byPath.get(indexPath(path)) ?? new Map<string, Set<number>>();
        byPath.set(indexPath(path), methods);
        for (const method of set.methods) {
          const grants = methods.get(method) ?? new Set<number>();
          methods.set(method, grants);
          grants.add(i * 2 + (least ? 1 : 0));
        }
      }
    }
  }
  // Many paths share the same grants: each distinct set is stored once and named by its position.
  const grants: number[][] = [];
  const grantIds = new Map<string, number>();
  const paths: Record<string, Record<string, number>> = {};
  for (const path of [...byPath.keys()].sort()) {
    const methods: Record<string, number> = {};
    for (const [method, set] of [...byPath.get(path)!.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...set].sort((a, b) => a - b);
      const key = sorted.join(",");
      let id = grantIds.get(key);
      if (id === undefined) grantIds.set(key, (id = grants.push(sorted) - 1));
      methods[method] = id;
    }
    paths[path] = methods;
  }
  return { application, delegated, grants, paths };
}
