/** Accepted notifications on an Azure Storage Queue, each handled by the queue trigger (processNotification). */
import type { QueueClient } from "@azure/storage-queue";
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { storeError } from "../../lifecycle/store/tables";
import { processChange } from "./processor";
import { handleLifecycle } from "./subscriptions/manager";
import type { NotificationDeps, NotificationMessage, NotificationQueue } from "./types";

export const NOTIFICATION_QUEUE = "graph-notifications";

export class StorageNotificationQueue implements NotificationQueue {
  constructor(private readonly queue: QueueClient) {}

  async send(message: NotificationMessage): Promise<void> {
    // Base64, as the Functions queue trigger expects by default.
    const text = Buffer.from(JSON.stringify(message), "utf8").toString("base64");
    try {
      await this.queue.sendMessage(text);
    } catch (error) {
      throw storeError("queue a change notification", error);
    }
  }
}

/** The trigger hands over an object (it decoded the JSON itself), the JSON text, or the base64 we sent. */
function decodeMessage(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  for (const text of [raw, Buffer.from(raw, "base64").toString("utf8")]) {
    try {
      return JSON.parse(text);
    } catch {
      // Not this encoding; the next one, or the refusal below.
    }
  }
  return undefined;
}

export function parseNotificationMessage(raw: unknown): NotificationMessage {
  const message = decodeMessage(raw) as Partial<NotificationMessage> | null | undefined;
  if ((message?.kind !== "change" && message?.kind !== "lifecycle") || typeof message.item !== "object" || message.item === null) {
    throw new IntentError("NOTIFICATION_INVALID", "A queued notification has no kind or item.");
  }
  return message as NotificationMessage;
}

export async function handleNotificationMessage(deps: NotificationDeps, raw: unknown, events: EventSink): Promise<void> {
  const message = parseNotificationMessage(raw);
  if (message.kind === "lifecycle") await handleLifecycle(deps, message.item, events);
  else await processChange(deps, message.item, events);
}
