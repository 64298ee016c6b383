/** Accepted notifications on an Azure Storage Queue, each handled by the queue trigger (processNotification). */
import type { QueueClient } from "@azure/storage-queue";
import { IntentError } from "../errors";
import type { EventSink } from "../runtime/types";
import { storeError } from "../store/tables";
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

export function parseNotificationMessage(raw: unknown): NotificationMessage {
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
  }
  const message = parsed as Partial<NotificationMessage> | null;
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
