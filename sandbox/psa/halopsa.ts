/**
 * HaloPSA's API, the part the engine uses:
 *   POST /auth/token[?tenant=…]   client credentials (form: grant_type, client_id, client_secret, scope)
 *   POST /api/Actions             an array of actions: {ticket_id, note, outcome, hiddenfromuser, …}
 *   GET  /api/Actions?ticket_id=… {record_count, actions: […]}
 * The API wants `Authorization: Bearer <access_token>`; a token lives `expires_in` seconds on the
 * simulator's clock. The application holds permissions (Halo's Permissions tab: `read:tickets`,
 * `edit:tickets`, …; `edit:` includes `read:`); a token request names scopes among them, or `all`
 * for every one it holds, and is refused `invalid_scope` for any other. Actions are part of
 * tickets: listing them needs `read:tickets`, adding one `edit:tickets`, else 403. Token errors are OAuth's `{error, error_description}`; paths are
 * case-insensitive. The wording of the API's own errors is the simulator's best reading.
 */
import { randomBytes } from "node:crypto";
import type { FaultKind } from "../faults/rules";
import { TicketBook, type SimNote } from "./tickets";
import type { PsaCall, PsaEnv, PsaReply, PsaSimulator } from "./types";

export interface HaloCredentials {
  clientId: string;
  clientSecret: string;
  /** Hosted instances name their tenant in the token URL; undefined accepts any or none. */
  tenant?: string;
  /** What the application is granted; default `edit:tickets` alone, the least the engine needs. */
  permissions?: readonly string[];
}

export const HALO_TOKEN_SECONDS = 3600;

function oauthError(status: number, error: string, description: string): PsaReply {
  return { status, body: { error, error_description: description } };
}

function haloError(status: number, message: string): PsaReply {
  return { status, body: message };
}

function actionResource(note: SimNote) {
  return { id: note.id, ticket_id: note.ticketId, datetime: note.createdAt, who: "API", ...note.fields, note: note.text, hiddenfromuser: note.internal };
}

/** A scope a token carries grants `need` (an `edit:` permission includes its `read:`). */
function grants(scopes: ReadonlySet<string>, need: string): boolean {
  return scopes.has(need) || (need.startsWith("read:") && scopes.has(`edit:${need.slice("read:".length)}`));
}

export function haloSimulator(credentials: HaloCredentials): PsaSimulator {
  const permissions = new Set(credentials.permissions ?? ["edit:tickets"]);
  /** Issued token → its expiry (ms on the simulator's clock) and scopes. */
  const tokens = new Map<string, { expires: number; scopes: ReadonlySet<string> }>();

  function issueToken(call: PsaCall, env: PsaEnv): PsaReply {
    const form = (call.body ?? {}) as Record<string, string>;
    if (credentials.tenant !== undefined && call.query.get("tenant") !== credentials.tenant) return oauthError(400, "invalid_request", "Unknown tenant.");
    if (form.grant_type !== "client_credentials") return oauthError(400, "unsupported_grant_type", "Only client_credentials is enabled for this application.");
    if (form.client_id !== credentials.clientId || form.client_secret !== credentials.clientSecret) return oauthError(401, "invalid_client", "The client id or secret is not valid.");
    const asked = (form.scope ?? "").split(" ").filter(Boolean);
    const refused = asked.find((scope) => scope !== "all" && !grants(permissions, scope));
    if (asked.length === 0 || refused !== undefined) return oauthError(400, "invalid_scope", `The application is not granted ${refused ?? "any scope"}; it holds ${[...permissions].join(" ")}.`);
    const scopes = new Set(asked.includes("all") ? permissions : asked);
    const token = randomBytes(24).toString("base64url");
    tokens.set(token, { expires: env.now() + HALO_TOKEN_SECONDS * 1000, scopes });
    return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: HALO_TOKEN_SECONDS, scope: [...scopes].join(" ") } };
  }

  /** The live token's scopes, or undefined for no token, an unknown or an expired one. */
  function scopesOf(call: PsaCall, env: PsaEnv): ReadonlySet<string> | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(call.headers.authorization ?? "")?.[1];
    const issued = token === undefined ? undefined : tokens.get(token);
    return issued !== undefined && issued.expires > env.now() ? issued.scopes : undefined;
  }

  function postActions(call: PsaCall, env: PsaEnv): PsaReply {
    if (!call.bodyOk || !Array.isArray(call.body) || call.body.length === 0) return haloError(400, "The request body must be a JSON array of actions.");
    const actions = call.body as Array<Record<string, unknown>>;
    for (const action of actions) {
      const ticketId = TicketBook.parseId(action.ticket_id);
      if (ticketId === undefined) return haloError(400, "ticket_id is required.");
      if (!env.tickets.exists(ticketId)) return haloError(404, `Ticket ${ticketId} not found.`);
      if (typeof action.note !== "string" && typeof action.note_html !== "string") return haloError(400, "An action needs a note or note_html.");
    }
    const created = actions.map((action) =>
      env.tickets.add(TicketBook.parseId(action.ticket_id) as number, {
        text: String(action.note ?? action.note_html), internal: action.hiddenfromuser === true, fields: action,
      }));
    // One action in, the action out; several in, all of them.
    return { status: 201, body: created.length === 1 ? actionResource(created[0] as SimNote) : created.map(actionResource) };
  }

  function listActions(call: PsaCall, env: PsaEnv): PsaReply {
    const ticketId = TicketBook.parseId(call.query.get("ticket_id"));
    if (ticketId === undefined) return haloError(400, "ticket_id is required.");
    if (!env.tickets.exists(ticketId)) return haloError(404, `Ticket ${ticketId} not found.`);
    const actions = env.tickets.list(ticketId).map(actionResource);
    return { status: 200, body: { record_count: actions.length, actions } };
  }

  return {
    name: "HaloPSA",
    answer(call, env) {
      const path = call.path.toLowerCase().replace(/\/+$/, "");
      if (path === "/auth/token" && call.method === "POST") return issueToken(call, env);
      if (path !== "/api/actions") return haloError(404, `Nothing at ${call.path}.`);
      const scopes = scopesOf(call, env);
      if (!scopes) return { status: 401 };
      const need = call.method === "GET" ? "read:tickets" : "edit:tickets";
      if ((call.method === "GET" || call.method === "POST") && !grants(scopes, need)) return haloError(403, `The token's scopes do not include ${need}.`);
      if (call.method === "POST") return postActions(call, env);
      if (call.method === "GET") return listActions(call, env);
      return haloError(405, `The method ${call.method} is not allowed here.`);
    },
    faultReply(kind: FaultKind, retryAfter: number | undefined): PsaReply {
      if (kind === "throttle") return { ...haloError(429, "Rate Limit Reached - 300 Requests per rolling 5 minute window."), headers: { "retry-after": String(Math.ceil(retryAfter ?? 60)) } };
      if (kind === "unavailable") return { ...haloError(503, "Service Unavailable"), headers: retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(retryAfter)) } };
      if (kind === "timeout") return haloError(504, "Gateway Timeout");
      return haloError(500, "An error occurred.");
    },
    revokeTokens: () => tokens.clear(),
  };
}
