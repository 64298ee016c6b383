import type { EngineIntent } from "../../lifecycle/types";
import type { RunIdentity } from "../../lifecycle/store/types";
import type { RunContext } from "../../runtime/types";
import type { WebhookPayload } from "./types";

/**
 * Who asked, from the webhook's meta_data, for the engine and the failure mail; `startedAt`: when
 * the run was first claimed (its record's createdAt), so what the run made is newer.
 */
export function runContextFor(runId: string, intentName: string, payload: WebhookPayload, startedAt?: string): RunContext {
  const meta = payload.meta_data;
  return {
    runId, ticketId: meta.ticket_id, intentName,
    contactName: meta.contact_name, contactEmail: meta.contact_email, companyName: meta.company_name,
    ...(startedAt ? { startedAt } : {}),
  };
}

/** Who asked and whom the run acts on, for the run record and the run index (lists by requester or target). */
export function requesterAndTarget(payload: WebhookPayload, intent: EngineIntent, fields: Record<string, unknown>): Pick<RunIdentity, "requester" | "requesterName" | "target"> {
  const meta = payload.meta_data;
  const target = intent.target === undefined ? undefined : fields[intent.target];
  return {
    ...(meta.contact_email.trim() ? { requester: meta.contact_email.trim().toLowerCase() } : {}),
    ...(meta.contact_name.trim() ? { requesterName: meta.contact_name.trim() } : {}),
    ...(typeof target === "string" && target.trim() ? { target: target.trim() } : {}),
  };
}
