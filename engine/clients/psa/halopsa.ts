/**
 * HaloPSA: a note is an action on the ticket, `POST {base}/api/Actions` with an array of one
 * `{ticket_id, note, outcome, hiddenfromuser}` (hidden from the end user for the internal note).
 * The token comes from `{auth}/token` by client credentials with scope `edit:tickets` (actions are
 * part of a ticket; `edit:` includes `read:`, so the least a note and its lookup need) and is kept
 * until a minute before it expires; a 401 fetches a new one and sends once more (the PSA did nothing).
 */
import { DEFAULT_OUTBOUND_TIMEOUT_MS, OutboundHttp, type OutboundRequest } from "../http/outbound";
import { deliveryOutcome, type DeliveryOutcome } from "../http/delivery";
import { containsMarker, parseJson, trimBase } from "./http";
import type { NoteLookup, PsaConnector, PsaNote, SecretSource } from "./types";

const TOKEN_MARGIN_MS = 60_000;
/** What posting an action and listing a ticket's actions need, and no more. */
export const HALO_SCOPE = "edit:tickets";

export interface HaloOptions {
  /** e.g. https://contoso.halopsa.com (the API is under /api). */
  baseUrl: string;
  /** Default `${baseUrl}/auth`. */
  authUrl?: string;
  /** Hosted instances: the tenant name for the token request. */
  tenant?: string;
  clientId: string;
  clientSecret: SecretSource;
  outcomeInternal: string;
  outcomeCustomer: string;
  timeoutMs?: number;
  now?: () => number;
}

export function createHaloConnector(options: HaloOptions): PsaConnector {
  const http = new OutboundHttp(options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  const base = trimBase(options.baseUrl);
  const tokenUrl = `${trimBase(options.authUrl ?? `${base}/auth`)}/token${options.tenant ? `?tenant=${encodeURIComponent(options.tenant)}` : ""}`;
  let token: { value: string; until: number } | undefined;

  async function accessToken(): Promise<string | DeliveryOutcome> {
    if (token && token.until > now()) return token.value;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: options.clientId, client_secret: await options.clientSecret(), scope: HALO_SCOPE });
    const outcome = deliveryOutcome(await http.send({ method: "POST", url: tokenUrl, headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() }), now());
    const issued = outcome.kind === "delivered" ? (parseJson(outcome.body) as { access_token?: unknown; expires_in?: unknown } | undefined) : undefined;
    if (typeof issued?.access_token !== "string") {
      // No token, nothing written: a refused client is worth retrying once the secret is fixed.
      const answer = outcome.kind === "delivered" ? "token answer without access_token" : `token: ${outcome.answer}`;
      return { kind: "retry", answer, ambiguous: false, ...(outcome.kind !== "delivered" && outcome.status !== undefined ? { status: outcome.status } : {}) };
    }
    const lifetimeMs = (Number(issued.expires_in) || 3600) * 1000;
    token = { value: issued.access_token, until: now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) };
    return token.value;
  }

  /** Sends with the current token; a 401 means the token was refused, so one more try with a new one. */
  async function send(request: Omit<OutboundRequest, "headers">, contentType?: string): Promise<DeliveryOutcome> {
    for (let attempt = 1; ; attempt++) {
      const bearer = await accessToken();
      if (typeof bearer !== "string") return bearer;
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, ...(contentType ? { "content-type": contentType } : {}) };
      const outcome = deliveryOutcome(await http.send({ ...request, headers }), now());
      if (outcome.kind === "retry" && outcome.status === 401 && attempt === 1) {
        token = undefined;
        continue;
      }
      return outcome;
    }
  }

  return {
    kind: "halopsa",
    postNote(note: PsaNote) {
      const internal = note.visibility === "internal";
      const action = {
        ticket_id: Number(note.ticketId),
        note: `${note.title}\n\n${note.text}`,
        outcome: internal ? options.outcomeInternal : options.outcomeCustomer,
        hiddenfromuser: internal,
        sendemail: false,
      };
      return send({ method: "POST", url: `${base}/api/Actions`, body: JSON.stringify([action]) }, "application/json");
    },
    async findNote(ticketId, marker): Promise<NoteLookup> {
      const query = new URLSearchParams({ ticket_id: ticketId, excludesys: "true" });
      const outcome = await send({ method: "GET", url: `${base}/api/Actions?${query}` });
      if (outcome.kind !== "delivered") return { kind: "unknown", outcome };
      const actions = (parseJson(outcome.body) as { actions?: unknown } | undefined)?.actions;
      return containsMarker(actions, "note", marker) ? { kind: "found" } : { kind: "absent" };
    },
    close: () => http.close(),
  };
}
