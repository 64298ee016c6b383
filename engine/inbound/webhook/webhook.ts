/** Parsing and validating the webhook body against schemas/webhook.schema.json. */
import Ajv from "ajv";
import webhookSchema from "../../../schemas/webhook.schema.json";
import { IntentError } from "../../core/errors";
import type { WebhookPayload } from "../../lifecycle/types";

export interface FieldProblem {
  field: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(webhookSchema);

function problems(): FieldProblem[] {
  const seen = new Set<string>();
  const list: FieldProblem[] = [];
  for (const error of validate.errors ?? []) {
    const base = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    const missing = error.keyword === "required" ? String((error.params as { missingProperty: string }).missingProperty) : "";
    const field = [base, missing].filter(Boolean).join(".") || "(body)";
    // anyOf reports each branch and then itself; one message per field is what a caller can act on.
    if (seen.has(field)) continue;
    seen.add(field);
    list.push({ field, message: describe(field, error.keyword, error.message) });
  }
  return list;
}

function describe(field: string, keyword: string, fallback: string | undefined): string {
  if (keyword === "required") return `${field} is required.`;
  if (field === "meta_data.ticket_id") return "ticket_id must be an integer or a string of digits.";
  if (field === "intent_name") return "intent_name must be a non-empty string.";
  return `${field} ${fallback ?? "is invalid"}.`;
}

export function parseWebhook(raw: Buffer): WebhookPayload {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new IntentError("WEBHOOK_BAD_JSON", "The request body is not valid JSON.", {
      fix: "Send a JSON object with intent_name, intent_fields and meta_data.",
    });
  }
  if (!validate(body)) {
    throw new IntentError("WEBHOOK_INVALID", "The request body does not have the expected shape.", {
      details: problems(),
      fix: "Send intent_name (text), intent_fields (an object) and meta_data with a ticket_id.",
    });
  }
  const valid = body as {
    intent_name: string;
    intent_fields: Record<string, unknown>;
    meta_data: { ticket_id: number | string; contact_name: string; contact_email: string; company_name: string };
  };
  return {
    intent_name: valid.intent_name.trim(),
    intent_fields: valid.intent_fields,
    meta_data: {
      // "0055" and 55 are one ticket, so one idempotency key.
      ticket_id: BigInt(String(valid.meta_data.ticket_id).trim()).toString(),
      contact_name: valid.meta_data.contact_name,
      contact_email: valid.meta_data.contact_email,
      company_name: valid.meta_data.company_name,
    },
  };
}
