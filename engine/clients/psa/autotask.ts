/**
 * Autotask, REST API V1.0 (ATServicesRest): a note is a TicketNotes child of the ticket,
 * `POST {zone}/V1.0/Tickets/{id}/Notes` with title, description, noteType and publish (Internal
 * Only for the internal note, All Autotask Users for the one the customer's portal shows; both
 * picklists are the instance's own, hence settings). The zone's API URL comes from
 * `zoneInformation?user=` once, unless configured. Auth: `UserName`, `Secret`, `ApiIntegrationCode`.
 */
import { DEFAULT_OUTBOUND_TIMEOUT_MS, OutboundHttp, type OutboundRequest } from "../http/outbound";
import { deliveryOutcome, type DeliveryOutcome } from "../http/delivery";
import { containsMarker, parseJson, trimBase } from "./http";
import type { NoteLookup, PsaConnector, PsaNote, SecretSource } from "./types";

export const AUTOTASK_ZONE_LOOKUP_URL = "https://webservices.autotask.net/ATServicesRest";
const TITLE_CHARS = 250;
const DESCRIPTION_CHARS = 32_000;

export interface AutotaskOptions {
  userName: string;
  secret: SecretSource;
  integrationCode: string;
  /** The zone's ATServicesRest URL; unset = ask zoneInformation. */
  apiBaseUrl?: string;
  zoneLookupUrl?: string;
  noteType: number;
  publishInternal: number;
  publishCustomer: number;
  timeoutMs?: number;
  now?: () => number;
}

export function createAutotaskConnector(options: AutotaskOptions): PsaConnector {
  const http = new OutboundHttp(options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  let zone: string | undefined = options.apiBaseUrl ? `${trimBase(options.apiBaseUrl)}/V1.0` : undefined;

  /** The zone's V1.0 root, or the outcome that kept us from it (nothing was written, so never ambiguous). */
  async function zoneBase(): Promise<string | DeliveryOutcome> {
    if (zone) return zone;
    const lookup = `${trimBase(options.zoneLookupUrl ?? AUTOTASK_ZONE_LOOKUP_URL)}/V1.0/zoneInformation?user=${encodeURIComponent(options.userName)}`;
    const outcome = deliveryOutcome(await http.send({ method: "GET", url: lookup, headers: {} }), now());
    const url = outcome.kind === "delivered" ? (parseJson(outcome.body) as { url?: unknown } | undefined)?.url : undefined;
    if (typeof url !== "string" || url === "") {
      const answer = outcome.kind === "delivered" ? "zone information without a url" : `zone information: ${outcome.answer}`;
      return { kind: "retry", answer, ambiguous: false, ...(outcome.kind === "retry" && outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}) };
    }
    zone = `${trimBase(url)}/V1.0`;
    return zone;
  }

  const headers = async () => ({
    apiintegrationcode: options.integrationCode,
    username: options.userName,
    secret: await options.secret(),
    "content-type": "application/json",
  });

  return {
    kind: "autotask",
    async postNote(note: PsaNote) {
      const base = await zoneBase();
      if (typeof base !== "string") return base;
      const body = {
        ticketID: Number(note.ticketId),
        title: note.title.slice(0, TITLE_CHARS),
        description: note.text.slice(0, DESCRIPTION_CHARS),
        noteType: options.noteType,
        publish: note.visibility === "internal" ? options.publishInternal : options.publishCustomer,
      };
      const result = await http.send({ method: "POST", url: `${base}/Tickets/${encodeURIComponent(note.ticketId)}/Notes`, headers: await headers(), body: JSON.stringify(body) });
      return deliveryOutcome(result, now());
    },
    async findNote(ticketId, marker): Promise<NoteLookup> {
      const base = await zoneBase();
      if (typeof base !== "string") return { kind: "unknown", outcome: base };
      const query = { filter: [{ op: "eq", field: "ticketID", value: Number(ticketId) }, { op: "contains", field: "description", value: marker }] };
      const outcome = deliveryOutcome(await http.send({ method: "POST", url: `${base}/TicketNotes/query`, headers: await headers(), body: JSON.stringify(query) }), now());
      if (outcome.kind !== "delivered") return { kind: "unknown", outcome };
      const items = (parseJson(outcome.body) as { items?: unknown } | undefined)?.items;
      return containsMarker(items, "description", marker) ? { kind: "found" } : { kind: "absent" };
    },
    close: () => http.close(),
  };
}
