import type { RunContext } from "../../runtime/types";
import type { WebhookPayload } from "./types";

/** Who asked, from the webhook's meta_data, for the engine and the failure mail. */
export function runContextFor(runId: string, intentName: string, payload: WebhookPayload): RunContext {
  const meta = payload.meta_data;
  return {
    runId, ticketId: meta.ticket_id, intentName,
    contactName: meta.contact_name, contactEmail: meta.contact_email, companyName: meta.company_name,
  };
}
