/**
 * ConnectWise Manage (PSA) REST API 3.0, the part the engine uses: service ticket notes.
 *   POST {codebase}/apis/3.0/service/tickets/{id}/notes   (ServiceNote; 201 with the note)
 *   GET  {codebase}/apis/3.0/service/tickets/{id}/notes?conditions=text like "%…%"
 * Authentication: `Authorization: Basic base64(companyId+publicKey:privateKey)` of an API member,
 * plus the `clientId` header ConnectWise requires of every integration. Errors are ConnectWise's
 * `{code, message, errors}`: 404 NotFound for an unknown ticket, 400 InvalidObject when no
 * display flag is set ("Please choose where to display the notes…").
 */
import type { FaultKind } from "../faults/rules";
import { TicketBook } from "./tickets";
import type { PsaCall, PsaEnv, PsaReply, PsaSimulator } from "./types";

export const CONNECTWISE_API_ROOT = "/v4_6_release/apis/3.0";

export interface ConnectWiseCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

const DISPLAY_FLAGS = ["detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag"] as const;

function cwError(status: number, code: string, message: string, errors: unknown[] | null = null): PsaReply {
  return { status, body: { code, message, errors } };
}

function authorized(call: PsaCall, credentials: ConnectWiseCredentials): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(call.headers.authorization ?? "");
  if (!match) return false;
  const presented = Buffer.from(match[1] as string, "base64").toString("utf8");
  return presented === `${credentials.companyId}+${credentials.publicKey}:${credentials.privateKey}`;
}

function noteResource(note: { id: number; ticketId: number; text: string; createdAt: string; fields: Record<string, unknown> }) {
  const flag = (name: string) => note.fields[name] === true;
  return {
    id: note.id,
    ticketId: note.ticketId,
    text: note.text,
    detailDescriptionFlag: flag("detailDescriptionFlag"),
    internalAnalysisFlag: flag("internalAnalysisFlag"),
    resolutionFlag: flag("resolutionFlag"),
    customerUpdatedFlag: flag("customerUpdatedFlag"),
    dateCreated: note.createdAt,
    createdBy: "APIMember",
    internalFlag: flag("internalAnalysisFlag"),
    externalFlag: flag("detailDescriptionFlag"),
    _info: { lastUpdated: note.createdAt, updatedBy: "APIMember" },
  };
}

/** ConnectWise's condition language, as far as note lookups need it: `text like "%x%"` / `text contains "x"`. */
function textCondition(conditions: string): string | undefined | null {
  const like = /^\s*text\s+like\s+"%(.*)%"\s*$/i.exec(conditions);
  if (like) return like[1] as string;
  const contains = /^\s*text\s+contains\s+"(.*)"\s*$/i.exec(conditions);
  return contains ? (contains[1] as string) : null;
}

function postNote(call: PsaCall, env: PsaEnv, ticketId: number): PsaReply {
  const body = (call.bodyOk ? call.body : undefined) as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return cwError(400, "InvalidObject", "serviceNote object is invalid");
  if (typeof body.text !== "string" || body.text.trim() === "") {
    return cwError(400, "InvalidObject", "serviceNote object is invalid", [{ code: "NullObject", message: "text may not be empty", resource: "serviceNote", field: "text" }]);
  }
  if (!DISPLAY_FLAGS.some((flag) => body[flag] === true)) {
    return cwError(400, "InvalidObject", "serviceNote object is invalid", [
      { code: "InvalidObject", message: "Please choose where to display the notes in order to save this record.", resource: "serviceNote", field: "detailDescriptionFlag" },
    ]);
  }
  const note = env.tickets.add(ticketId, { text: body.text, internal: body.internalAnalysisFlag === true && body.detailDescriptionFlag !== true, fields: body });
  return { status: 201, body: noteResource(note) };
}

function listNotes(call: PsaCall, env: PsaEnv, ticketId: number): PsaReply {
  const conditions = call.query.get("conditions");
  const wanted = conditions === null ? undefined : textCondition(conditions);
  if (wanted === null) return cwError(400, "InvalidObject", `conditions: could not parse "${conditions}"`);
  const notes = env.tickets.list(ticketId).filter((note) => wanted === undefined || note.text.includes(wanted));
  return { status: 200, body: notes.map(noteResource) };
}

export function connectWiseSimulator(credentials: ConnectWiseCredentials): PsaSimulator {
  return {
    name: "ConnectWise Manage",
    answer(call, env) {
      if (!call.path.toLowerCase().startsWith(CONNECTWISE_API_ROOT)) return cwError(404, "NotFound", `Nothing at ${call.path}.`);
      if (!call.headers.clientid) return cwError(400, "InvalidClientId", "A clientId header is required on every request.");
      if (!authorized(call, credentials)) return cwError(401, "Unauthorized", "UserNotAuthenticated");
      const match = /^\/service\/tickets\/([^/]+)\/notes$/i.exec(call.path.slice(CONNECTWISE_API_ROOT.length));
      if (!match) return cwError(404, "NotFound", `Nothing at ${call.path}.`);
      const ticketId = TicketBook.parseId(decodeURIComponent(match[1] as string));
      if (ticketId === undefined || !env.tickets.exists(ticketId)) return cwError(404, "NotFound", `Ticket ${decodeURIComponent(match[1] as string)} not found`);
      if (call.method === "POST") return postNote(call, env, ticketId);
      if (call.method === "GET") return listNotes(call, env, ticketId);
      return cwError(405, "MethodNotAllowed", `The method ${call.method} is not allowed here.`);
    },
    faultReply(kind: FaultKind, retryAfter: number | undefined): PsaReply {
      const wait: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(retryAfter)) };
      if (kind === "throttle") return { ...cwError(429, "TooManyRequests", "Too many requests; try again later."), headers: { "retry-after": String(Math.ceil(retryAfter ?? 10)) } };
      if (kind === "unavailable") return { ...cwError(503, "ServiceUnavailable", "The service is unavailable."), headers: wait };
      if (kind === "timeout") return cwError(504, "GatewayTimeout", "The gateway did not receive a response in time.");
      return cwError(500, "ConnectWiseApi", "An error has been thrown.");
    },
  };
}
