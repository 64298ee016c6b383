/**
 * Plays the Functions queue trigger locally: receives messages, calls the handler with the dequeue
 * count (several at once, up to `concurrency`), deletes a message on success and lets it reappear
 * on failure. A message being handled stays invisible for `visibilityTimeoutSeconds`; if this
 * process dies (or storage fails) mid-message, it reappears after that for another poller.
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
  /** Messages handled at once (CONTINUATION_CONCURRENCY for continuations; default 1, one after another). */
  concurrency?: number;
  /** Seconds a received message stays hidden while it is handled (default 300). */
  visibilityTimeoutSeconds?: number;
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
    const received = await options.queue.receiveMessages({ numberOfMessages: 16, visibilityTimeout: options.visibilityTimeoutSeconds ?? 300 });
    const items = [...received.receivedMessageItems];
    const handleOne = async (item: (typeof items)[number]): Promise<void> => {
      try {
        const text = Buffer.from(item.messageText, "base64").toString("utf8");
        await invokeQueue(options.handler, options.functionName ?? "continueRun", text, item.dequeueCount, options.log);
        await options.queue.deleteMessage(item.messageId, item.popReceipt);
      } catch {
        await options.queue.updateMessage(item.messageId, item.popReceipt, undefined, options.retryAfterSeconds ?? 5).catch(() => undefined);
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(16, options.concurrency ?? 1)) }, async () => {
      for (let item = items.shift(); item; item = items.shift()) await handleOne(item);
    });
    await Promise.all(workers);
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
