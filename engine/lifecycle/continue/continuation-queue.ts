/** Continuations of long runs on an Azure Storage Queue; the message becomes visible after the delay. */
import type { QueueClient } from "@azure/storage-queue";
import { seal } from "./sealing";
import { storeError } from "../store/tables";
import type { ContinuationMessage, ContinuationQueue } from "./types";

export const CONTINUATION_QUEUE = "intent-runs";

/** The wire format's version: 2 seals the run's mapped input; messages without one sealed the raw webhook. */
export const CONTINUATION_VERSION = 2;

/** What travels on the queue: the run id in clear (to end the run if all else fails), the mapped input sealed. */
export interface ContinuationWire {
  v: typeof CONTINUATION_VERSION;
  runId: string;
  sealed: string;
  watch?: true;
  /** The approval that let a waiting run go on (an id, not a secret). */
  approvalId?: string;
}

export function continuationWire(message: ContinuationMessage, sharedSecret: string): ContinuationWire {
  return {
    v: CONTINUATION_VERSION, runId: message.runId, sealed: seal(message.input, sharedSecret),
    ...(message.watch ? { watch: true as const } : {}), ...(message.approvalId ? { approvalId: message.approvalId } : {}),
  };
}

export class StorageContinuationQueue implements ContinuationQueue {
  constructor(private readonly queue: QueueClient, private readonly sharedSecret: () => Promise<string>) {}

  async send(message: ContinuationMessage, delayMs: number): Promise<void> {
    const wire = continuationWire(message, await this.sharedSecret());
    // The Functions queue trigger expects base64 text by default (host.json messageEncoding).
    const text = Buffer.from(JSON.stringify(wire), "utf8").toString("base64");
    try {
      await this.queue.sendMessage(text, { visibilityTimeout: Math.max(0, Math.ceil(delayMs / 1000)) });
    } catch (error) {
      throw storeError("queue the run's continuation", error);
    }
  }
}
