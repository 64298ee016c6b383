/** What arrives at `POST /api/intent` and what goes back, transport-neutral. */

/** The validated webhook body, normalised (ticket id as a digit string, missing names as ""). */
export interface WebhookPayload {
  intent_name: string;
  intent_fields: Record<string, unknown>;
  meta_data: { ticket_id: string; contact_name: string; contact_email: string; company_name: string };
}

/** A transport-neutral HTTP answer; every body is JSON with a `message` for the end user. */
export interface HttpAnswer {
  status: number;
  body: { message: string } & Record<string, unknown>;
}

/** The incoming request, as much of it as the pipeline may look at. */
export interface IncomingRequest {
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
}
