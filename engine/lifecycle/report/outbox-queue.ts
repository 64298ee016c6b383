/** The outbox's queue: one message per delivery attempt, visible when the attempt is due. */
import type { QueueClient } from "@azure/storage-queue";
import { IntentError } from "../../core/errors";
import { storeError } from "../store/tables";

export const REPORT_QUEUE = "intent-reports";

/** Azure Storage Queues hide a message for at most seven days. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

export interface OutboxRef {
  runId: string;
  rowKey: string;
}

export interface OutboxQueue {
  send(ref: OutboxRef, delayMs: number): Promise<void>;
}

export class StorageOutboxQueue implements OutboxQueue {
  constructor(private readonly queue: QueueClient) {}

  async send(ref: OutboxRef, delayMs: number): Promise<void> {
    // Base64, as the Functions queue trigger expects by default (host.json messageEncoding).
    const text = Buffer.from(JSON.stringify(ref), "utf8").toString("base64");
    try {
      await this.queue.sendMessage(text, { visibilityTimeout: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))) });
    } catch (error) {
      throw storeError("queue a report delivery", error);
    }
  }
}

/** The trigger hands over the decoded JSON, its text, or the base64 we sent. */
export function parseOutboxRef(raw: unknown): OutboxRef {
  let value: unknown = raw;
  if (typeof raw === "string") {
    for (const text of [raw, Buffer.from(raw, "base64").toString("utf8")]) {
      try {
        value = JSON.parse(text);
        break;
      } catch {
        value = undefined;
      }
    }
  }
  const ref = value as Partial<OutboxRef> | undefined;
  if (typeof ref?.runId !== "string" || typeof ref.rowKey !== "string") throw new IntentError("INTERNAL", "A report message has no runId or rowKey.");
  return { runId: ref.runId, rowKey: ref.rowKey };
}
