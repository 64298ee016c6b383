/**
 * The least-privilege set the catalogue needs, computed from what each intent declares (and what
 * the engine's own features need, e.g. approvals): the union of Graph application permissions
 * without those another required permission already grants, Entra roles and Exchange roles, each
 * with the intents (and features) that need it.
 */
import { grantedBy } from "../../contracts/graph-permissions";
import type { DocumentedIntent } from "../docs/types";
import type { FeatureNeed } from "./approval-permissions";

/** The Office 365 Exchange Online app role that lets an app manage Exchange app-only. */
export const EXCHANGE_MANAGE_AS_APP = "Exchange.ManageAsApp";

/** Which permissions one includes: the same table lint checks declared permissions with. */
export { grantedBy };

export interface Requirement {
  name: string;
  /** Intents that declare this permission or role themselves. */
  intents: string[];
  /** The engine's features that need it (approvals' reads and mail); absent when none. */
  features?: string[];
  /** Declared permissions this one already grants, so they are not requested separately. */
  covers: Array<{ name: string; intents: string[]; features?: string[] }>;
}

export interface IntentPermissions {
  intent: string;
  risk: string;
  graph: string[];
  entraRoles: string[];
  exchangeRoles: string[];
}

export interface PermissionSet {
  /** Application permissions for the Function App's managed identity. */
  graph: Requirement[];
  /** Directory roles for the Function App's managed identity. */
  entraRoles: Requirement[];
  /**
   * Exchange roles, granted as Entra roles to the identity Exchange work runs under: the Function
   * App's on the admin API (EXCHANGE_MODE api, the default), the Automation account's on runbooks.
   */
  exchangeRoles: Requirement[];
  /**
   * Office 365 Exchange Online application permissions for that same identity: Exchange.ManageAsApp,
   * needed by every intent that declares an Exchange role (app-only Exchange management).
   */
  exchangeAppRoles: Requirement[];
  byIntent: IntentPermissions[];
}

function declarers(intents: readonly DocumentedIntent[], pick: (i: DocumentedIntent) => readonly string[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const intent of intents) {
    for (const name of new Set(pick(intent))) {
      byName.set(name, [...(byName.get(name) ?? []), intent.name]);
    }
  }
  return byName;
}

function sortedRequirements(byName: Map<string, string[]>): Requirement[] {
  return [...byName.entries()]
    .map(([name, intents]) => ({ name, intents: [...intents].sort(), covers: [] as Requirement["covers"] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The features that need each permission, sorted. */
function featuresByName(needs: readonly FeatureNeed[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const need of needs) byName.set(need.permission, [...new Set([...(byName.get(need.permission) ?? []), need.feature])].sort());
  return byName;
}

function minimalGraphSet(byName: Map<string, string[]>, features: Map<string, string[]>): Requirement[] {
  for (const name of features.keys()) if (!byName.has(name)) byName.set(name, []);
  const declared = [...byName.keys()];
  const neededBy = (name: string) => ({ name, intents: [...(byName.get(name) ?? [])].sort(), ...(features.has(name) ? { features: features.get(name)! } : {}) });
  const kept: Requirement[] = declared
    .filter((name) => !declared.some((other) => other !== name && grantedBy(other).has(name)))
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ ...neededBy(name), covers: [] }));
  for (const req of kept) {
    const grants = grantedBy(req.name);
    req.covers = declared
      .filter((name) => grants.has(name))
      .sort()
      .map(neededBy);
  }
  return kept;
}

/** `features`: what the engine's own features need besides the intents (approvalNeeds when approvals are on). */
export function computePermissions(intents: readonly DocumentedIntent[], features: readonly FeatureNeed[] = []): PermissionSet {
  const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();
  return {
    graph: minimalGraphSet(declarers(intents, (i) => i.permissions.graph), featuresByName(features)),
    entraRoles: sortedRequirements(declarers(intents, (i) => i.permissions.entraRoles)),
    exchangeRoles: sortedRequirements(declarers(intents, (i) => i.permissions.exchangeRoles)),
    exchangeAppRoles: sortedRequirements(declarers(intents, (i) => (i.permissions.exchangeRoles.length > 0 ? [EXCHANGE_MANAGE_AS_APP] : []))),
    byIntent: [...intents]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((i) => ({
        intent: i.name,
        risk: i.risk,
        graph: sortedUnique(i.permissions.graph),
        entraRoles: sortedUnique(i.permissions.entraRoles),
        exchangeRoles: sortedUnique(i.permissions.exchangeRoles),
      })),
  };
}
