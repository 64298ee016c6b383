/**
 * Who is asked: the people requester policy names for an approval (the target's managers, the
 * members of the rule's groups, nested groups included, and the rule's addresses), read from the
 * tenant in one `$batch`, each with a mail address. Disabled accounts are not asked, and neither
 * is the requester: nobody approves their own request.
 */
import { randomBytes } from "node:crypto";
import type { GraphClient, GraphRequest, GraphResponse } from "../../clients/graph/types";
import { IntentError } from "../../core/errors";
import type { Approver } from "./types";

/** Who the policy decision says may approve (PolicyDecision.approvers, plus the rule's addresses). */
export type ApproverRef =
  | { kind: "manager"; id: string; level: number }
  | { kind: "group"; id: string; name?: string }
  | { kind: "address"; address: string };

export interface ApproverContext {
  /** The requester's object id and address, lower-cased: never asked to approve. */
  requester: { id?: string; email: string };
  /** The target as the webhook gave it, and whether the requester is the target. */
  target?: string;
  requesterIsTarget: boolean;
}

/** A group of thousands would mean thousands of mails: the first ones (by Graph's order) are asked. */
export const MAX_APPROVERS = 25;

const PERSON_SELECT = "id,displayName,mail,userPrincipalName,accountEnabled";

interface Person {
  id?: string;
  displayName?: string;
  mail?: string | null;
  userPrincipalName?: string;
  accountEnabled?: boolean;
}

/** The reads that find who `ref` names (`intents permissions` lists what they need). */
export function approverReads(ref: ApproverRef): GraphRequest[] {
  switch (ref.kind) {
    case "manager":
      return [{ method: "GET", path: `/users/${encodeURIComponent(ref.id)}`, query: { $select: PERSON_SELECT } }];
    case "group":
      return [
        { method: "GET", path: `/groups/${encodeURIComponent(ref.id)}/transitiveMembers/microsoft.graph.user`, query: { $select: PERSON_SELECT, $top: "999" } },
        ...(ref.name ? [] : [{ method: "GET" as const, path: `/groups/${encodeURIComponent(ref.id)}`, query: { $select: "id,displayName" } }]),
      ];
    default:
      return [{ method: "GET", path: `/users/${encodeURIComponent(ref.address)}`, query: { $select: PERSON_SELECT } }];
  }
}

/** 2xx → the body; 404 → nobody there (a manager since removed, an address outside the tenant); anything else fails. */
function bodyOf(response: GraphResponse | undefined, what: string): unknown {
  const status = response?.status ?? 0;
  if (status === 404) return undefined;
  if (status >= 200 && status < 300) return response?.body;
  throw new IntentError("GRAPH_ERROR", `Reading the approvers (${what}) from Microsoft Graph failed with ${status}.`, {
    retryable: status === 429 || status >= 500,
    fix: status === 403 ? "Grant the app User.Read.All and GroupMember.Read.All (approvals read managers and group members)." : "Send the request again; nothing was changed.",
  });
}

function addressOf(person: Person): string | undefined {
  const address = person.mail || person.userPrincipalName;
  return address ? address.toLowerCase() : undefined;
}

function reasonFor(ref: ApproverRef, context: ApproverContext, groupName: string | undefined): string {
  if (ref.kind === "manager") {
    const whose = context.requesterIsTarget ? "your" : `${context.target ?? "the target"}'s`;
    return ref.level === 1 ? `${whose} manager` : `${whose} manager's manager${ref.level > 2 ? ` (level ${ref.level})` : ""}`;
  }
  if (ref.kind === "group") return `a member of ${groupName ?? ref.id}`;
  return "named in the policy rule";
}

export async function resolveApprovers(graph: Pick<GraphClient, "batch">, refs: readonly ApproverRef[], context: ApproverContext): Promise<Approver[]> {
  const reads = refs.map(approverReads);
  const responses = await graph.batch(reads.flat());
  const found: Approver[] = [];
  const add = (person: Person | undefined, reason: string, fallbackAddress?: string) => {
    const address = person ? addressOf(person) : fallbackAddress;
    if (!address || (person && person.accountEnabled === false)) return;
    const id = person?.id?.toLowerCase();
    if (address === context.requester.email.trim().toLowerCase() || (id && id === context.requester.id)) return;
    if (found.some((approver) => approver.address === address)) return;
    found.push({ key: randomBytes(8).toString("hex"), address, name: person?.displayName || address, ...(id ? { id } : {}), reason });
  };
  let at = 0;
  refs.forEach((ref, i) => {
    const mine = responses.slice(at, at + reads[i]!.length);
    at += reads[i]!.length;
    if (ref.kind === "group") {
      const members = (bodyOf(mine[0], `members of group ${ref.name ?? ref.id}`) as { value?: Person[] } | undefined)?.value ?? [];
      const name = ref.name ?? (bodyOf(mine[1], `group ${ref.id}`) as { displayName?: string } | undefined)?.displayName;
      for (const member of members) add(member, reasonFor(ref, context, name));
      return;
    }
    const person = bodyOf(mine[0], ref.kind === "manager" ? "a manager" : ref.address) as Person | undefined;
    // An address outside the tenant (an MSP's helpdesk) is asked as written.
    add(person, reasonFor(ref, context, undefined), ref.kind === "address" ? ref.address.toLowerCase() : undefined);
  });
  return found.slice(0, MAX_APPROVERS);
}

/** "your manager, Megan Bowen", "a member of Service Desk": who the requester waits for, in words. */
export function waitingFor(approvers: readonly Approver[]): string {
  const named = approvers.filter((a) => !a.reason.startsWith("a member of"));
  const groups = [...new Set(approvers.filter((a) => a.reason.startsWith("a member of")).map((a) => a.reason))];
  const parts = [
    ...named.map((a) => (a.reason === "named in the policy rule" ? a.name : `${a.reason}, ${a.name}`)),
    ...groups,
  ];
  if (parts.length <= 1) return parts[0] ?? "an approver";
  return `${parts.slice(0, -1).join("; ")} or ${parts[parts.length - 1]}`;
}
