/**
 * A planned Graph write in words, with the reads that show what it changes: the properties a
 * PATCH sets and their current values, the names of the groups a membership change touches, the
 * licences before and after, the manager before and after. Recognised by method and path shape
 * (Graph's own resources), never by intent; anything else reads as its method, path and body.
 */
import type { GraphRequest } from "../../../clients/graph/types";
import type { GraphAction } from "./actions";
import type { PlanField } from "./types";
import { leaves, readablePath, showValue, valueAt } from "./values";

/** The answer of a read the plan asked for: its body, or undefined when it failed (404, throttled, …). */
export type ReadAnswer = (request: GraphRequest) => unknown;

export interface DraftChange {
  summary: string;
  fields: PlanField[];
  items: string[];
  /** Changes of one step with the same group merge into one ("Remove X from 4 groups: …"). */
  group?: { key: string; summary(count: number): string };
}

interface GraphChangeRule {
  matches(method: string, parts: readonly string[]): boolean;
  reads(action: GraphAction, parts: readonly string[]): GraphRequest[];
  draft(action: GraphAction, parts: readonly string[], read: ReadAnswer): DraftChange;
}

const PERSON = "id,displayName,userPrincipalName";

function get(path: string, select?: string): GraphRequest {
  return { method: "GET", path, ...(select ? { query: { $select: select } } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A person or group as named in a plan: display name, with the sign-in name when there is one. */
function nameOf(body: unknown, fallback: string): string {
  if (!isRecord(body)) return fallback;
  const display = typeof body.displayName === "string" ? body.displayName : undefined;
  const upn = typeof body.userPrincipalName === "string" ? body.userPrincipalName : undefined;
  if (display && upn) return `${display} (${upn})`;
  return display ?? upn ?? fallback;
}

/** The object id at the end of an `@odata.id` URL. */
function referencedId(body: unknown): string {
  const url = isRecord(body) && typeof body["@odata.id"] === "string" ? body["@odata.id"] : "";
  return readablePath(url.split("?")[0] ?? "").split("/").filter(Boolean).pop() ?? "";
}

function encodedPath(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join("/")}`;
}

/** A PATCH's properties, each with the value read from the same resource (absent when unreadable). */
function patchFields(body: unknown, current: unknown): PlanField[] {
  return leaves(body).map(([name, value]) => {
    const after = showValue(value);
    const read = current === undefined ? { found: false } : valueAt(current, name);
    if (!read.found) return { name, after };
    const before = showValue(read.value);
    return { name, before, after, ...(before === after ? { unchanged: true } : {}) };
  });
}

/** Top-level properties worth reading back: Graph never returns a password, so passwordProfile is left out. */
function selectable(body: unknown): string {
  return isRecord(body) ? Object.keys(body).filter((key) => key !== "passwordProfile" && !key.includes("@")).join(",") : "";
}

const rules: GraphChangeRule[] = [
  {
    // PATCH /users/{id} (and /groups/{id}): the properties, from their current values
    matches: (method, parts) => method === "PATCH" && parts.length === 2 && (parts[0] === "users" || parts[0] === "groups"),
    reads: (action, parts) => (selectable(action.body) ? [get(encodedPath(parts[0]!, parts[1]!), selectable(action.body))] : []),
    draft: (action, parts, read) => ({
      summary: `Update ${parts[0] === "users" ? "user" : "group"} ${parts[1]}`,
      fields: patchFields(action.body, selectable(action.body) ? read(get(encodedPath(parts[0]!, parts[1]!), selectable(action.body))) : undefined),
      items: [],
    }),
  },
  {
    // PATCH of another resource (mailboxSettings, …): read the same resource back
    matches: (method) => method === "PATCH",
    reads: (action) => [get(action.path)],
    draft: (action, _parts, read) => ({ summary: `Update ${readablePath(action.path).slice(1)}`, fields: patchFields(action.body, read(get(action.path))), items: [] }),
  },
  {
    // DELETE /groups/{g}/members/{m}/$ref
    matches: (method, parts) => method === "DELETE" && parts[0] === "groups" && parts[2] === "members" && parts[4] === "$ref",
    reads: (_action, parts) => [get(encodedPath("groups", parts[1]!), "id,displayName"), get(encodedPath("users", parts[3]!), PERSON)],
    draft: (_action, parts, read) => {
      const member = nameOf(read(get(encodedPath("users", parts[3]!), PERSON)), parts[3]!);
      return {
        summary: `Remove ${member} from group ${nameOf(read(get(encodedPath("groups", parts[1]!), "id,displayName")), parts[1]!)}`,
        fields: [],
        items: [nameOf(read(get(encodedPath("groups", parts[1]!), "id,displayName")), parts[1]!)],
        group: { key: `remove ${member}`, summary: (n) => `Remove ${member} from ${n} group${n === 1 ? "" : "s"}` },
      };
    },
  },
  {
    // POST /groups/{g}/members/$ref {"@odata.id": …/directoryObjects/{m}}
    matches: (method, parts) => method === "POST" && parts[0] === "groups" && parts[2] === "members" && parts[3] === "$ref",
    reads: (action, parts) => [get(encodedPath("groups", parts[1]!), "id,displayName"), get(encodedPath("users", referencedId(action.body)), PERSON)],
    draft: (action, parts, read) => {
      const id = referencedId(action.body);
      const member = nameOf(read(get(encodedPath("users", id), PERSON)), id);
      const group = nameOf(read(get(encodedPath("groups", parts[1]!), "id,displayName")), parts[1]!);
      return {
        summary: `Add ${member} to group ${group}`,
        fields: [],
        items: [group],
        group: { key: `add ${member}`, summary: (n) => `Add ${member} to ${n} group${n === 1 ? "" : "s"}` },
      };
    },
  },
  {
    // PUT /users/{u}/manager/$ref
    matches: (method, parts) => method === "PUT" && parts[0] === "users" && parts[2] === "manager",
    reads: (action, parts) => [
      get(encodedPath("users", parts[1]!), PERSON), get(encodedPath("users", parts[1]!, "manager"), PERSON), get(encodedPath("users", referencedId(action.body)), PERSON),
    ],
    draft: (action, parts, read) => {
      const before = read(get(encodedPath("users", parts[1]!, "manager"), PERSON));
      const id = referencedId(action.body);
      return {
        summary: `Set the manager of ${nameOf(read(get(encodedPath("users", parts[1]!), PERSON)), parts[1]!)}`,
        fields: [{ name: "manager", before: before === undefined ? "(none)" : nameOf(before, "(none)"), after: nameOf(read(get(encodedPath("users", id), PERSON)), id) }],
        items: [],
      };
    },
  },
  {
    // POST /users/{u}/assignLicense: the licences before and after, by product name
    matches: (method, parts) => method === "POST" && parts[0] === "users" && parts[2] === "assignLicense",
    reads: (_action, parts) => [get("/subscribedSkus", "skuId,skuPartNumber"), get(encodedPath("users", parts[1]!), "id,assignedLicenses")],
    draft: (action, parts, read) => {
      const skus = (read(get("/subscribedSkus", "skuId,skuPartNumber")) as { value?: Array<{ skuId?: string; skuPartNumber?: string }> } | undefined)?.value ?? [];
      const named = (id: string) => skus.find((sku) => sku.skuId?.toLowerCase() === id.toLowerCase())?.skuPartNumber ?? id;
      const body = (isRecord(action.body) ? action.body : {}) as { addLicenses?: Array<{ skuId?: string }>; removeLicenses?: string[] };
      // A dry run's stand-in (an output of a step that did not run) is no list: nothing to name.
      const adding = (Array.isArray(body.addLicenses) ? body.addLicenses : []).map((l) => String(l?.skuId ?? ""));
      const removing = (Array.isArray(body.removeLicenses) ? body.removeLicenses : []).map(String);
      const current = (read(get(encodedPath("users", parts[1]!), "id,assignedLicenses")) as { assignedLicenses?: Array<{ skuId?: string }> } | undefined)?.assignedLicenses;
      const afterIds = (ids: string[]) => [...ids.filter((id) => !removing.some((r) => r.toLowerCase() === id.toLowerCase())), ...adding.filter((a) => !ids.some((id) => id.toLowerCase() === a.toLowerCase()))];
      const list = (ids: string[]) => (ids.length === 0 ? "(none)" : ids.map(named).join(", "));
      const fields: PlanField[] = current === undefined
        ? [...(adding.length ? [{ name: "add licences", after: list(adding) }] : []), ...(removing.length ? [{ name: "remove licences", after: list(removing) }] : [])]
        : [(() => {
            const ids = current.map((l) => String(l.skuId ?? ""));
            const before = list(ids);
            const after = list(afterIds(ids));
            return { name: "licences", before, after, ...(before === after ? { unchanged: true } : {}) };
          })()];
      return { summary: `Change the licences of ${parts[1]}`, fields, items: [] };
    },
  },
  {
    matches: (method, parts) => method === "POST" && parts[0] === "users" && parts[2] === "revokeSignInSessions",
    reads: () => [],
    draft: (_action, parts) => ({ summary: `Sign ${parts[1]} out of every session`, fields: [], items: [] }),
  },
  {
    matches: (method, parts) => method === "POST" && parts[0] === "users" && parts[2] === "sendMail",
    reads: () => [],
    draft: (action, parts) => {
      const message = (isRecord(action.body) && isRecord(action.body.message) ? action.body.message : {}) as { subject?: unknown; toRecipients?: unknown; ccRecipients?: unknown };
      const addresses = (list: unknown) => (Array.isArray(list) ? list.map((r) => String((r as { emailAddress?: { address?: unknown } })?.emailAddress?.address ?? "")).filter(Boolean) : []);
      const to = [...addresses(message.toRecipients), ...addresses(message.ccRecipients)];
      return { summary: `Send a mail from ${parts[1]} to ${to.join(", ") || "nobody"}`, fields: [{ name: "subject", after: showValue(message.subject) }], items: [] };
    },
  },
  {
    matches: (method, parts) => method === "DELETE" && parts.length === 2 && parts[0] === "users",
    reads: (_action, parts) => [get(encodedPath("users", parts[1]!), PERSON)],
    draft: (_action, parts, read) => ({ summary: `Delete user ${nameOf(read(get(encodedPath("users", parts[1]!), PERSON)), parts[1]!)}`, fields: [], items: [] }),
  },
  {
    matches: (method, parts) => method === "DELETE" && parts[0] === "users" && parts[2] === "authentication",
    reads: () => [],
    draft: (_action, parts) => ({ summary: `Remove the ${parts[3]?.replace(/Methods$/, "") ?? "sign-in"} method ${parts[4] ?? ""} of ${parts[1]}`.replace(/ {2,}/g, " "), fields: [], items: [] }),
  },
  {
    matches: (method, parts) => method === "POST" && parts.length === 1 && parts[0] === "users",
    reads: () => [],
    draft: (action) => {
      const upn = isRecord(action.body) ? showValue(action.body.userPrincipalName) : "";
      return { summary: `Create user ${upn}`, fields: leaves(action.body).map(([name, value]) => ({ name, after: showValue(value) })), items: [] };
    },
  },
];

/** The rule for a write, or undefined: it then reads as method, path and body. */
function ruleFor(action: GraphAction): { rule: GraphChangeRule; parts: string[] } | undefined {
  const parts = readablePath(action.path).split("/").filter(Boolean);
  const rule = rules.find((candidate) => candidate.matches(action.method, parts));
  return rule ? { rule, parts } : undefined;
}

export function graphReads(action: GraphAction): GraphRequest[] {
  const found = ruleFor(action);
  return found ? found.rule.reads(action, found.parts) : [];
}

export function graphChange(action: GraphAction, read: ReadAnswer): DraftChange {
  const found = ruleFor(action);
  if (found) return found.rule.draft(action, found.parts, read);
  return {
    summary: `${action.method} ${readablePath(action.path)}`,
    fields: leaves(action.body).map(([name, value]) => ({ name, after: showValue(value) })),
    items: [],
  };
}

