import { describe, expect, it } from "vitest";
import { readLimitedBody } from "../../engine/inbound/webhook/body";
import { jsonEventSink } from "../../engine/core/events";
import { sharedSecretMatches } from "../../engine/inbound/webhook/shared-secret";
import { parseWebhook } from "../../engine/inbound/webhook/webhook";

async function* chunks(sizes: number[]) {
  for (const size of sizes) yield new Uint8Array(size);
}

describe("readLimitedBody", () => {
  it("refuses a declared length over the limit without reading", async () => {
    let read = false;
    const body = (async function* () { read = true; yield new Uint8Array(1); })();
    await expect(readLimitedBody(body, "11", 10)).rejects.toMatchObject({ code: "WEBHOOK_TOO_LARGE" });
    expect(read).toBe(false);
  });

  it("stops reading as soon as the streamed body passes the limit", async () => {
    let pulled = 0;
    const body = (async function* () { for (;;) { pulled++; yield new Uint8Array(4); } })();
    await expect(readLimitedBody(body, null, 10)).rejects.toMatchObject({ code: "WEBHOOK_TOO_LARGE" });
    expect(pulled).toBe(3);
  });

  it("returns a body at the limit whole", async () => {
    expect((await readLimitedBody(chunks([4, 6]), null, 10)).byteLength).toBe(10);
  });
});

describe("sharedSecretMatches", () => {
  it("accepts only the exact secret, and nothing when no secret is configured", () => {
    expect(sharedSecretMatches("abc", "abc")).toBe(true);
    expect(sharedSecretMatches("abd", "abc")).toBe(false);
    expect(sharedSecretMatches("abcd", "abc")).toBe(false);
    expect(sharedSecretMatches(null, "abc")).toBe(false);
    expect(sharedSecretMatches("", "")).toBe(false);
  });
});

describe("parseWebhook", () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it("normalises ticket ids, trims the name, defaults fields and ignores extra keys", () => {
    const payload = parseWebhook(json({ intent_name: " Password Reset ", meta_data: { ticket_id: "0042" }, extra: true }));
    expect(payload).toEqual({
      intent_name: "Password Reset", intent_fields: {},
      meta_data: { ticket_id: "42", contact_name: "", contact_email: "", company_name: "" },
    });
    expect(parseWebhook(json({ intent_name: "x", meta_data: { ticket_id: 42 } })).meta_data.ticket_id).toBe("42");
  });

  it("refuses non-objects, fractional tickets and null fields with per-field errors", () => {
    expect(() => parseWebhook(json([1]))).toThrow(expect.objectContaining({ code: "WEBHOOK_INVALID" }));
    try {
      parseWebhook(json({ intent_name: 5, intent_fields: null, meta_data: { ticket_id: 5.5, contact_name: null } }));
      expect.unreachable();
    } catch (error) {
      expect((error as { details: Array<{ field: string }> }).details.map((d) => d.field).sort())
        .toEqual(["intent_fields", "intent_name", "meta_data.contact_name", "meta_data.ticket_id"]);
    }
  });
});

describe("jsonEventSink", () => {
  it("writes one JSON object per event", () => {
    const lines: string[] = [];
    jsonEventSink((line) => lines.push(line), { invocationId: "i1" })("received", { bytes: 12 });
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ event: "received", invocationId: "i1", bytes: 12 }]);
  });
});
