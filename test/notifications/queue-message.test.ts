import { describe, expect, it } from "vitest";
import { parseNotificationMessage } from "../../engine/inbound/notifications/queue";
import type { NotificationMessage } from "../../engine/inbound/notifications/types";

const message: NotificationMessage = { kind: "change", item: { subscriptionId: "s-1", changeType: "created", resource: "Users/u-1" } };

describe("queued notification messages", () => {
  it("reads the message as an object, as JSON text and as the base64 the receiver queues", () => {
    const json = JSON.stringify(message);
    expect(parseNotificationMessage(message)).toEqual(message);
    expect(parseNotificationMessage(json)).toEqual(message);
    expect(parseNotificationMessage(Buffer.from(json, "utf8").toString("base64"))).toEqual(message);
  });

  it.each([["text that is neither JSON nor base64 JSON", "{not json"], ["a message without kind", { item: {} }], ["nothing", null]])(
    "refuses %s with NOTIFICATION_INVALID, not a parser exception",
    (_what, raw) => {
      expect(() => parseNotificationMessage(raw)).toThrow(expect.objectContaining({ code: "NOTIFICATION_INVALID" }));
    },
  );
});
