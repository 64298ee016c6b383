/**
 * The local queue poller over Azurite runs up to `concurrency` continuations at once (before, one
 * slow continuation held every other run back), never more, and one after another by default. A
 * message whose handler fails stays on the queue; the others are deleted.
 */
import type { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startQueuePoller } from "../../engine/hosts/local/queue-poller";
import { openQueue } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

const MESSAGES = 5;
let azurite: RunningAzurite;
let queueNumber = 0;

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await azurite?.close();
});

async function queueWith(count: number): Promise<QueueClient> {
  const queue = await openQueue({ kind: "connection-string", connectionString: azurite.connectionString }, `poller-${++queueNumber}`);
  for (let i = 0; i < count; i++) await queue.sendMessage(Buffer.from(JSON.stringify({ n: i })).toString("base64"));
  return queue;
}

/**
 * A handler that holds each message until `width` are in flight (or every message has started),
 * so a poller running fewer at once than it should never gets past its first ones, and one
 * running more shows it in `most`.
 */
function heldHandler(width: number, total: number, fails: (n: number) => boolean = () => false) {
  const seen = { inFlight: 0, most: 0, started: 0, handled: [] as number[] };
  const waiting: Array<() => void> = [];
  const handler = async (message: unknown): Promise<void> => {
    seen.started++;
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    if (seen.inFlight >= width || seen.started >= total) for (const release of waiting.splice(0)) release();
    else await new Promise<void>((resolve) => waiting.push(resolve));
    seen.inFlight--;
    const n = (JSON.parse(String(message)) as { n: number }).n;
    seen.handled.push(n);
    if (fails(n)) throw new Error(`message ${n} failed`);
  };
  return { handler, seen };
}

/** Polls until every message was handled once; a poller that stalls fails the test here, not by a hang. */
async function drain(poll: () => Promise<number>, seen: { handled: number[] }, total: number): Promise<void> {
  const stalled = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stalled after ${seen.handled.length} of ${total}`)), 10_000).unref());
  const all = (async () => {
    while (seen.handled.length < total) await poll();
  })();
  await Promise.race([all, stalled]);
}

it.each([
  [3, 3],
  [16, MESSAGES],
])("with concurrency %i runs %i continuations at once, never more", async (concurrency, expected) => {
  const queue = await queueWith(MESSAGES);
  const { handler, seen } = heldHandler(expected, MESSAGES);
  const poller = startQueuePoller({ queue, handler, concurrency }, false);
  await drain(() => poller.pollOnce(), seen, MESSAGES);
  expect(seen.most).toBe(expected);
  expect(seen.handled.sort()).toEqual([0, 1, 2, 3, 4]);
  expect((await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(0);
});

it("runs them one after another without a concurrency, and keeps the message whose handler failed", async () => {
  const queue = await queueWith(MESSAGES);
  const { handler, seen } = heldHandler(1, MESSAGES, (n) => n === 2);
  const poller = startQueuePoller({ queue, handler, retryAfterSeconds: 60 }, false);
  await drain(() => poller.pollOnce(), seen, MESSAGES);
  expect(seen.most).toBe(1);
  const props = await queue.getProperties();
  expect(props.approximateMessagesCount).toBe(1);
});
