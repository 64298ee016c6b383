/**
 * ConnectWise Manage (PSA), REST API 3.0: a note is a ServiceNote on the service ticket,
 * `POST {base}/service/tickets/{id}/notes`. The internal note goes to the Internal Analysis tab
 * (`internalAnalysisFlag`), the customer's to the Discussion (`detailDescriptionFlag`); ConnectWise
 * refuses a note with no display flag. `processNotifications: false`: the PSA's own mail rules
 * stay out of it. Auth: Basic `companyId+publicKey:privateKey` of an API member, and `clientId`.
 * The `Accept` header pins the API's 2020.1 schema, so a later ConnectWise release that changes
 * its default version does not change what a note is.
 */
import { DEFAULT_OUTBOUND_TIMEOUT_MS, OutboundHttp, type OutboundRequest } from "../http/outbound";
import { deliveryOutcome } from "../http/delivery";
import { containsMarker, parseJson, trimBase } from "./http";
import type { NoteLookup, PsaConnector, PsaNote, SecretSource } from "./types";

export interface ConnectWiseOptions {
  /** e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0 */
  baseUrl: string;
  companyId: string;
  publicKey: string;
  privateKey: SecretSource;
  /** The integration's clientId GUID from developer.connectwise.com. */
  clientId: string;
  timeoutMs?: number;
  now?: () => number;
}

/** The API schema version the note's fields follow (ServiceNote has had them all since before it). */
export const CONNECTWISE_API_VERSION = "2020.1";

export function createConnectWiseConnector(options: ConnectWiseOptions): PsaConnector {
  const http = new OutboundHttp(options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS);
  const base = trimBase(options.baseUrl);
  const now = options.now ?? Date.now;
  const notesUrl = (ticketId: string) => `${base}/service/tickets/${encodeURIComponent(ticketId)}/notes`;
  const headers = async () => ({
    authorization: `Basic ${Buffer.from(`${options.companyId}+${options.publicKey}:${await options.privateKey()}`, "utf8").toString("base64")}`,
    clientid: options.clientId,
    accept: `application/vnd.connectwise.com+json; version=${CONNECTWISE_API_VERSION}`,
    "content-type": "application/json",
  });

  return {
    kind: "connectwise",
    async postNote(note: PsaNote) {
      const internal = note.visibility === "internal";
      const body = {
        text: `${note.title}\n\n${note.text}`,
        detailDescriptionFlag: !internal,
        internalAnalysisFlag: internal,
        resolutionFlag: false,
        processNotifications: false,
      };
      const result = await http.send({ method: "POST", url: notesUrl(note.ticketId), headers: await headers(), body: JSON.stringify(body) });
      return deliveryOutcome(result, now());
    },
    async findNote(ticketId, marker): Promise<NoteLookup> {
      // The marker holds no quote or %, so it is a safe literal inside ConnectWise's condition.
      const query = new URLSearchParams({ conditions: `text like "%${marker}%"`, pageSize: "25" });
      const result = await http.send({ method: "GET", url: `${notesUrl(ticketId)}?${query}`, headers: await headers() });
      const outcome = deliveryOutcome(result, now());
      if (outcome.kind !== "delivered") return { kind: "unknown", outcome };
      return containsMarker(parseJson(outcome.body), "text", marker) ? { kind: "found" } : { kind: "absent" };
    },
    close: () => http.close(),
  };
}
