/** Continuations of long runs on an Azure Storage Queue; the message becomes visible after the delay. */
import type { QueueClient } from "@azure/storage-queue";
import { seal } from "./sealing";
import { storeError } from "../store/tables";
import type { ContinuationMessage, ContinuationQueue } from "../store/types";

export const CONTINUATION_QUEUE = "intent-runs";

/** What travels on the queue: the run id in clear (to end the run if all else fails), the webhook sealed. */
export interface ContinuationWire {
  runId: string;
  sealed: string;
}

export class StorageContinuationQueue implements ContinuationQueue {
  constructor(private readonly queue: QueueClient, private readonly sharedSecret: () => Promise<string>) {}

  async send(message: ContinuationMessage, delayMs: number): Promise<void> {
    const wire: ContinuationWire = { runId: message.runId, sealed: seal(message.payload, await this.sharedSecret()) };
    // The Functions queue trigger expects base64 text by default (host.json messageEncoding).
    const text = Buffer.from(JSON.stringify(wire), "utf8").toString("base64");
    try {
      await this.queue.sendMessage(text, { visibilityTimeout: Math.max(0, Math.ceil(delayMs / 1000)) });
    } catch (error) {
      throw storeError("queue the run's continuation", error);
    }
  }
}
