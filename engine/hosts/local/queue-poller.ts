/**
 * Plays the Functions queue trigger locally: receives continuation messages, calls the handler
 * with the dequeue count, deletes the message on success and lets it reappear on failure.
 */
import type { QueueClient } from "@azure/storage-queue";
import { invokeQueue, type QueueHandler } from "../functions/invoke";

export type { QueueHandler };

export interface QueuePollerOptions {
  queue: QueueClient;
  handler: QueueHandler;
  /** How long to wait between empty polls. */
  idleMs?: number;
  /** Seconds a failed message stays invisible before it is tried again. */
  retryAfterSeconds?: number;
  log?: (level: string, line: string) => void;
  /** The function this poller plays, for the invocation context (default continueRun). */
  functionName?: string;
}

export interface QueuePoller {
  /** Receives and handles what is visible now; returns how many messages were handled. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startQueuePoller(options: QueuePollerOptions, autoStart = true): QueuePoller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function pollOnce(): Promise<number> {
    const received = await options.queue.receiveMessages({ numberOfMessages: 16, visibilityTimeout: 300 });
    for (const item of received.receivedMessageItems) {
      try {
        const text = Buffer.from(item.messageText, "base64").toString("utf8");
        await invokeQueue(options.handler, options.functionName ?? "continueRun", text, item.dequeueCount, options.log);
        await options.queue.deleteMessage(item.messageId, item.popReceipt);
      } catch {
        await options.queue.updateMessage(item.messageId, item.popReceipt, undefined, options.retryAfterSeconds ?? 5).catch(() => undefined);
      }
    }
    return received.receivedMessageItems.length;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pollOnce().catch(() => 0).then(schedule);
    }, options.idleMs ?? 1_000);
  }

  if (autoStart) schedule();
  return {
    pollOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
