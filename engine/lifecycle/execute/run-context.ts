import type { RunContext } from "../../runtime/types";
import type { WebhookPayload } from "../types";

/** Who asked, for the engine and the failure mail; the contact is empty when the payload is gone. */
export function runContextFor(runId: string, intentName: string, ticketId: string, payload?: WebhookPayload): RunContext {
  const meta = payload?.meta_data;
  return {
    runId, ticketId, intentName,
    contactName: meta?.contact_name ?? "", contactEmail: meta?.contact_email ?? "", companyName: meta?.company_name ?? "",
  };
}
