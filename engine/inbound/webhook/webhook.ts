/** Parsing and validating the webhook body against schemas/webhook.schema.json. */
import type { ErrorObject, ValidateFunction } from "ajv";
import webhookSchema from "../../../schemas/webhook.schema.json";
import { IntentError } from "../../core/errors";
import { AJV_FLAVOURS } from "../../language/spec/ajv-flavours";
import { precompiledValidator } from "../../language/spec/precompiled-validators";
import type { WebhookPayload } from "./types";

export interface FieldProblem {
  field: string;
  message: string;
}

/** The build's precompiled validator, else Ajv's compile (running from the sources). */
function compileWebhookSchema(): ValidateFunction {
  const built = precompiledValidator("webhook", webhookSchema) as ValidateFunction | undefined;
  if (built) return built;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  return new Ajv({ ...AJV_FLAVOURS.webhook }).compile(webhookSchema);
}

const validate = compileWebhookSchema();

const FIELD_TEXT_LIMIT = webhookSchema.definitions.scalar.anyOf[0]!.maxLength;
const FIELD_LIST_LIMIT = webhookSchema.properties.intent_fields.additionalProperties.anyOf[1]!.maxItems;

/** A JSON pointer's segments, unescaped (`~1` is `/`, `~0` is `~`), so a label holding `/` stays one name. */
function pointerSegments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The field a caller can act on: a problem anywhere inside one intent field's value (a nested list,
 * an over-long item) names that field, not the position inside it.
 */
function fieldOf(error: ErrorObject): string {
  const segments = pointerSegments(error.instancePath);
  const named = segments[0] === "intent_fields" ? segments.slice(0, 2) : segments;
  const missing = error.keyword === "required" ? String((error.params as { missingProperty: string }).missingProperty) : "";
  return [...named, missing].filter(Boolean).join(".") || "(body)";
}

function problems(): FieldProblem[] {
  const seen = new Set<string>();
  const list: FieldProblem[] = [];
  for (const error of validate.errors ?? []) {
    const field = fieldOf(error);
    // anyOf reports each branch and then itself; one message per field is what a caller can act on.
    if (seen.has(field)) continue;
    seen.add(field);
    list.push({ field, message: describe(field, error) });
  }
  return list;
}

function describe(field: string, error: ErrorObject): string {
  if (error.keyword === "required") return `${field} is required.`;
  if (field === "meta_data.ticket_id") return "ticket_id must be a whole number from 0 to 9007199254740991, or a string of 1 to 18 digits.";
  if (field === "intent_name") return "intent_name must be a non-empty string of at most 200 characters.";
  if (field === "intent_fields" && error.keyword === "maxProperties") return "intent_fields may hold at most 100 fields.";
  if (field === "intent_fields" && error.keyword === "propertyNames") return "intent_fields labels may be at most 200 characters long.";
  if (field.startsWith("intent_fields.")) {
    return `${field} must be text of at most ${FIELD_TEXT_LIMIT} characters, a number, true/false, null, or a flat list of at most ${FIELD_LIST_LIMIT} of those.`;
  }
  return `${field} ${error.message ?? "is invalid"}.`;
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
      fix: "Send intent_name (text), intent_fields (an object of short values) and meta_data with a ticket_id.",
    });
  }
  const valid = body as {
    intent_name: string;
    intent_fields: Record<string, unknown>;
    meta_data: { ticket_id: number | string; contact_name: string; contact_email: string; company_name: string };
  };
  const ticket = valid.meta_data.ticket_id;
  return {
    intent_name: valid.intent_name.trim(),
    intent_fields: valid.intent_fields,
    meta_data: {
      // "0055" and 55 are one ticket, so one idempotency key. A number is a safe integer here (the
      // schema's maximum), so its decimal text is exact; a digit string may be longer and is kept exact.
      ticket_id: typeof ticket === "number" ? String(ticket) : BigInt(ticket.trim()).toString(),
      contact_name: valid.meta_data.contact_name,
      contact_email: valid.meta_data.contact_email,
      company_name: valid.meta_data.company_name,
    },
  };
}
