/**
 * Autotask REST API (ATServicesRest V1.0), the part the engine uses:
 *   GET  /ATServicesRest/V1.0/zoneInformation?user=…   (no credentials; the zone's API URL)
 *   POST /ATServicesRest/V1.0/Tickets/{id}/Notes        (TicketNotes child entity; 200 {itemId})
 *   POST /ATServicesRest/V1.0/TicketNotes/query         (filter ticketID eq, description contains)
 * Authentication: the API user's `UserName` and `Secret` headers plus the integration's
 * `ApiIntegrationCode` header. Autotask answers an unknown user or integration code with 500 and a
 * wrong secret with 401; every error body is `{"errors": ["…"]}`. Paths are case-insensitive.
 */
import type { FaultKind } from "../faults/rules";
import { TicketBook, type SimNote } from "./tickets";
import type { PsaCall, PsaEnv, PsaReply, PsaSimulator } from "./types";

export const AUTOTASK_API_ROOT = "/ATServicesRest";

export interface AutotaskCredentials {
  userName: string;
  secret: string;
  integrationCode: string;
}

/** The demo instance's picklists (each Autotask instance has its own; read them from entityInformation/fields). */
export const AUTOTASK_PUBLISH = { allAutotaskUsers: 1, internalOnly: 2 } as const;
const NOTE_TYPES = new Set([1, 2, 3]);
const MAX_DESCRIPTION = 32_000;

function atError(status: number, ...messages: string[]): PsaReply {
  return { status, body: { errors: messages } };
}

function authenticate(call: PsaCall, credentials: AutotaskCredentials): PsaReply | undefined {
  if ((call.headers.username ?? "").toLowerCase() !== credentials.userName.toLowerCase()) return atError(500, "Unable to authenticate the user.");
  if (call.headers.apiintegrationcode !== credentials.integrationCode) return atError(500, "The integration code is not valid.");
  if (call.headers.secret !== credentials.secret) return atError(401, "User is not authorized.");
  return undefined;
}

function noteItem(note: SimNote) {
  return { id: note.id, ticketID: note.ticketId, createDateTime: note.createdAt, creatorResourceID: 29682885, ...note.fields, description: note.text };
}

function postNote(call: PsaCall, env: PsaEnv, ticketId: number): PsaReply {
  const body = (call.bodyOk ? call.body : undefined) as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return atError(500, "The request body could not be read as a TicketNote.");
  if (body.ticketID !== undefined && TicketBook.parseId(body.ticketID) !== ticketId) return atError(500, "ticketID does not match the parent ticket in the URL.");
  const problems: string[] = [];
  if (typeof body.description !== "string" || body.description.trim() === "") problems.push("description is required.");
  else if (body.description.length > MAX_DESCRIPTION) problems.push(`description must be at most ${MAX_DESCRIPTION} characters.`);
  if (!NOTE_TYPES.has(body.noteType as number)) problems.push("Value does not reference an existing entity for noteType . ");
  if (!Object.values(AUTOTASK_PUBLISH).includes(body.publish as 1 | 2)) problems.push("Value does not reference an existing entity for publish . ");
  if (problems.length > 0) return atError(500, ...problems);
  const note = env.tickets.add(ticketId, { text: body.description as string, internal: body.publish === AUTOTASK_PUBLISH.internalOnly, fields: body });
  return { status: 200, body: { itemId: note.id } };
}

interface Filter {
  op?: string;
  field?: string;
  value?: unknown;
}

/** The two conditions a note lookup needs; anything else is refused rather than guessed at. */
function queryNotes(call: PsaCall, env: PsaEnv): PsaReply {
  const filters = (call.body as { filter?: Filter[] } | undefined)?.filter;
  if (!Array.isArray(filters) || filters.length === 0) return atError(500, "A query needs at least one filter.");
  let ticketId: number | undefined;
  let contains: string | undefined;
  for (const filter of filters) {
    const field = filter.field?.toLowerCase();
    if (filter.op === "eq" && field === "ticketid") ticketId = TicketBook.parseId(filter.value);
    else if (filter.op === "contains" && field === "description" && typeof filter.value === "string") contains = filter.value;
    else return atError(500, `The simulator does not support the filter ${JSON.stringify(filter)}.`);
  }
  if (ticketId === undefined) return atError(500, "The simulator needs a ticketID eq filter.");
  const items = env.tickets.list(ticketId).filter((note) => contains === undefined || note.text.includes(contains)).map(noteItem);
  return { status: 200, body: { items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } } };
}

export function autotaskSimulator(credentials: AutotaskCredentials): PsaSimulator {
  return {
    name: "Autotask",
    answer(call, env) {
      const path = call.path.toLowerCase();
      const version = `${AUTOTASK_API_ROOT.toLowerCase()}/v1.0`;
      if (!path.startsWith(`${version}/`)) return atError(404, `No resource at ${call.path}.`);
      const rest = path.slice(version.length);
      if (call.method === "GET" && rest === "/zoneinformation") {
        if ((call.query.get("user") ?? "").toLowerCase() !== credentials.userName.toLowerCase()) return atError(404, "The user was not found.");
        return { status: 200, body: { zoneName: "Sandbox", url: `${env.url}${AUTOTASK_API_ROOT}/`, webUrl: `${env.url}/`, ci: 0 } };
      }
      const denied = authenticate(call, credentials);
      if (denied) return denied;
      if (call.method === "POST" && rest === "/ticketnotes/query") return queryNotes(call, env);
      const match = /^\/tickets\/([^/]+)\/notes$/.exec(rest);
      if (!match) return atError(404, `No resource at ${call.path}.`);
      if (call.method !== "POST") return atError(405, `The requested resource does not support http method '${call.method}'.`);
      const ticketId = TicketBook.parseId(decodeURIComponent(match[1] as string));
      if (ticketId === undefined || !env.tickets.exists(ticketId)) return atError(404, `Unable to find Tickets with id ${decodeURIComponent(match[1] as string)}.`);
      return postNote(call, env, ticketId);
    },
    faultReply(kind: FaultKind, retryAfter: number | undefined): PsaReply {
      if (kind === "throttle") return { ...atError(429, "Rate limit exceeded; try again later."), headers: { "retry-after": String(Math.ceil(retryAfter ?? 30)) } };
      if (kind === "unavailable") return { ...atError(503, "The service is unavailable."), headers: retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(retryAfter)) } };
      if (kind === "timeout") return atError(504, "The gateway did not receive a response in time.");
      return atError(500, "An unexpected error occurred.");
    },
  };
}
