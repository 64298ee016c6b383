/** Shape of graph-permissions.index.json (engine/contracts/graph-permissions/build.ts). */
export interface GraphPermissionIndex {
  /** Application permission names, sorted; a grant names one by position. */
  application: string[];
  /** Permissions with no application form (delegated only), sorted. */
  delegated: string[];
  /** Distinct grant sets: each entry is a permission position × 2, + 1 when it is least privileged. */
  grants: number[][];
  /** Lower-cased API path (every key segment `{id}`) → method → grant set. */
  paths: Record<string, Record<string, number>>;
}
