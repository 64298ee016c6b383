/**
 * The channels the outbox delivers through, each turning one row into one attempt and its
 * outcome. PSA notes can also be looked for, which is how an ambiguous write is settled.
 */
import { sendMailRequest } from "../../clients/graph/send-mail";
import type { GraphClient } from "../../clients/graph/types";
import { deliveryOutcome, type DeliveryOutcome } from "../../clients/http/delivery";
import type { OutboundHttp } from "../../clients/http/outbound";
import type { NoteLookup, PsaConnector, SecretSource } from "../../clients/psa/types";
import { ensureIntentError } from "../../core/errors";
import type { Clock } from "../../runtime/types";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from "./signature";
import type { ChannelName, MailContent, NoteContent, OutboxRow, WebhookContent } from "./types";

export interface ReportChannel {
  deliver(row: OutboxRow): Promise<DeliveryOutcome>;
  /** Whether an earlier attempt already landed; channels that cannot tell leave it out. */
  find?(row: OutboxRow): Promise<NoteLookup>;
}

export type ReportChannels = Partial<Record<ChannelName, ReportChannel>>;

export function psaChannel(connector: PsaConnector): ReportChannel {
  return {
    deliver: (row) => {
      const note = row.content as NoteContent;
      return connector.postNote({ ticketId: row.ticketId, title: note.title, text: note.text, visibility: note.visibility });
    },
    find: (row) => connector.findNote(row.ticketId, (row.content as NoteContent).marker),
  };
}

/** Graph's sendMail from the notification mailbox; its own retries run first, the outbox's after. */
export function requesterMailChannel(graph: GraphClient, mailbox: string, clock: Clock): ReportChannel {
  return {
    async deliver(row) {
      const mail = row.content as MailContent;
      try {
        const response = await graph.request(sendMailRequest(mailbox, { subject: mail.subject, to: [mail.to], body: { text: mail.text } }));
        const text = typeof response.body === "string" ? response.body : JSON.stringify(response.body ?? "");
        return deliveryOutcome({ kind: "response", status: response.status, headers: response.headers ?? {}, text }, clock.now());
      } catch (thrown) {
        // Graph was not reached (or kept throttling past its own retries): try again later.
        const error = ensureIntentError(thrown);
        return { kind: "retry", answer: `${error.code}: ${error.message}`, ambiguous: error.code !== "GRAPH_THROTTLED" };
      }
    },
  };
}

export function webhookChannel(http: OutboundHttp, url: string, key: SecretSource, clock: Clock): ReportChannel {
  return {
    async deliver(row) {
      const { body, eventId } = row.content as WebhookContent;
      const headers = { "content-type": "application/json", [EVENT_ID_HEADER]: eventId, [SIGNATURE_HEADER]: signWebhook(body, await key(), clock.now()) };
      return deliveryOutcome(await http.send({ method: "POST", url, headers, body }), clock.now());
    },
  };
}
