import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import webhookSchema from "../../schemas/webhook.schema.json";

const validate = new Ajv({ allErrors: true, strict: false }).compile(webhookSchema);

describe("schemas/webhook.schema.json", () => {
  it("accepts Thread's payload, extra keys included", () => {
    expect(validate({ intent_name: "Password Reset", intent_fields: { "User Email": "a@b.c", Force: true }, meta_data: { ticket_id: 123, contact_name: "Ada" }, extra: 1 })).toBe(true);
  });

  it("rejects a payload without intent_name, with non-scalar fields, or without a ticket id", () => {
    expect(validate({ intent_fields: {}, meta_data: { ticket_id: "1" } })).toBe(false);
    expect(validate({ intent_name: "x", intent_fields: { a: { nested: true } }, meta_data: { ticket_id: "1" } })).toBe(false);
    expect(validate({ intent_name: "x", intent_fields: {}, meta_data: {} })).toBe(false);
  });
});
