/**
 * What the webhook schema lets in is what the run store can hold: ticket ids that never lose a
 * digit, field values of bounded size and depth. Each refusal names the field.
 */
import { describe, expect, it } from "vitest";
import { parseWebhook } from "../../engine/inbound/webhook/webhook";

function refusal(text: string): Array<{ field: string; message: string }> {
  try {
    parseWebhook(Buffer.from(text));
  } catch (error) {
    expect((error as { code: string }).code).toBe("WEBHOOK_INVALID");
    return (error as { details: Array<{ field: string; message: string }> }).details;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
}

const withTicket = (ticket: string) => `{"intent_name":"Add User to Group","intent_fields":{},"meta_data":{"ticket_id":${ticket}}}`;
const withField = (value: unknown) => JSON.stringify({ intent_name: "Add User to Group", intent_fields: { "User Email": "a@contoso.com", "Group Name": value }, meta_data: { ticket_id: 7 } });

describe("ticket_id", () => {
  it.each(["1e21", "1e308", "123456789012345678901234567890", "9007199254740993", "9007199254740992", "-1", "5.5"])(
    "refuses %s as a JSON number with the field named, never collapsing it into another ticket",
    (ticket) => {
      const problems = refusal(withTicket(ticket));
      expect(problems).toEqual([{ field: "meta_data.ticket_id", message: expect.stringContaining("9007199254740991") }]);
    },
  );

  it("refuses a string of more than 18 digits, or anything but digits", () => {
    expect(refusal(withTicket(`"${"9".repeat(30)}"`)).map((p) => p.field)).toEqual(["meta_data.ticket_id"]);
    expect(refusal(withTicket(`"12a"`)).map((p) => p.field)).toEqual(["meta_data.ticket_id"]);
  });

  it("keeps the largest safe integer and an 18-digit string exact", () => {
    expect(parseWebhook(Buffer.from(withTicket("9007199254740991"))).meta_data.ticket_id).toBe("9007199254740991");
    expect(parseWebhook(Buffer.from(withTicket(`" 000123456789012345 "`))).meta_data.ticket_id).toBe("123456789012345");
    expect(parseWebhook(Buffer.from(withTicket(`"9007199254740993"`))).meta_data.ticket_id).toBe("9007199254740993");
  });
});

describe("intent field values", () => {
  it("refuses a 10,000-deep list in a field value, naming the field", () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const text = `{"intent_name":"x","intent_fields":{"Group Name":${deep}},"meta_data":{"ticket_id":1}}`;
    expect(refusal(text)).toEqual([{ field: "intent_fields.Group Name", message: expect.stringContaining("flat list") }]);
  });

  it("refuses objects, nested lists, over-long text and over-long lists, naming the field", () => {
    expect(refusal(withField({ a: 1 })).map((p) => p.field)).toEqual(["intent_fields.Group Name"]);
    expect(refusal(withField([["a"]])).map((p) => p.field)).toEqual(["intent_fields.Group Name"]);
    expect(refusal(withField("x".repeat(16_385))).map((p) => p.field)).toEqual(["intent_fields.Group Name"]);
    expect(refusal(withField(["x".repeat(16_385)])).map((p) => p.field)).toEqual(["intent_fields.Group Name"]);
    expect(refusal(withField(Array.from({ length: 101 }, (_, i) => `g${i}`))).map((p) => p.field)).toEqual(["intent_fields.Group Name"]);
  });

  it("names a label holding a slash as it is", () => {
    const text = JSON.stringify({ intent_name: "x", intent_fields: { "Start / End": { a: 1 } }, meta_data: { ticket_id: 1 } });
    expect(refusal(text).map((p) => p.field)).toEqual(["intent_fields.Start / End"]);
  });

  it("refuses too many fields and over-long labels and contact values", () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, "v"]));
    expect(refusal(JSON.stringify({ intent_name: "x", intent_fields: many, meta_data: { ticket_id: 1 } }))).toEqual([
      { field: "intent_fields", message: "intent_fields may hold at most 100 fields." },
    ]);
    expect(refusal(JSON.stringify({ intent_name: "x", intent_fields: { ["L".repeat(201)]: "v" }, meta_data: { ticket_id: 1 } })).map((p) => p.field))
      .toEqual(["intent_fields"]);
    expect(refusal(JSON.stringify({ intent_name: "x", meta_data: { ticket_id: 1, contact_name: "n".repeat(257) } })).map((p) => p.field))
      .toEqual(["meta_data.contact_name"]);
  });

  it("accepts text at the limit and a flat list of scalars", () => {
    expect(parseWebhook(Buffer.from(withField("x".repeat(16_384)))).intent_fields["Group Name"]).toHaveLength(16_384);
    expect(parseWebhook(Buffer.from(withField(["a", 1, true, null]))).intent_fields["Group Name"]).toEqual(["a", 1, true, null]);
  });
});
