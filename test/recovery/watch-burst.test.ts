/**
 * At most one pending watch per run. A run held by another instance (alive, or about to die) gets
 * bursts of duplicate deliveries: the first queues the watch, every other one finds it pending and
 * queues nothing, over Azurite with concurrent requests over HTTP. The watch re-arms while the
 * holder renews (still one), takes the run once the holder is gone and finishes it; a watch that
 * could not be queued leaves no marker, so the next duplicate queues it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { handleContinuation } from "../../engine/lifecycle/continue/continuation";
import { idempotencyKey, runIdFor } from "../../engine/lifecycle/store/run-key";
import type { Lease } from "../../engine/lifecycle/store/types";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";

let azurite: RunningAzurite;
let stack: RecoveryStack;

beforeAll(async () => {
  azurite = await startTestAzurite();
  stack = await startRecoveryStack({ storage: azurite.connectionString });
});

afterAll(async () => {
  await stack?.close();
  await azurite?.close();
});

const INTENT = "Password Reset";

/** Another instance claims the run the webhook for `ticket` would make: it holds its lease. */
async function heldElsewhere(ticket: number, fields: Record<string, unknown>): Promise<{ runId: string; lease: Lease }> {
  const intent = stack.deps.engine.find(INTENT)!;
  const mapped = stack.deps.engine.mapFields(intent, fields);
  if (!mapped.ok) throw new Error("fields do not map");
  const runId = runIdFor(idempotencyKey(String(ticket), intent.name, mapped.identity));
  const claim = await stack.deps.store.claim({ runId, ticketId: String(ticket), intentName: intent.name });
  if (claim.kind !== "claimed") throw new Error("not claimed");
  await claim.lease.indexed; // as its runner waits before its first step
  return { runId, lease: claim.lease };
}

const watches = (runId: string) => stack.queue.messages.filter((m) => m.runId === runId && m.wire.watch === true);

async function burst(body: unknown, deliveries: number): Promise<Array<{ status: number; body: any }>> {
  return Promise.all(Array.from({ length: deliveries }, () => stack.post(body)));
}

it("a burst of 100 duplicates of a running run queues one watch; it re-arms while the holder renews and finishes the run once the holder is gone", async () => {
  const ticket = 95_001;
  const fields = { "User Email": "adele.vance@contoso.com" };
  const body = webhookFor(INTENT, fields, ticket);
  const { runId, lease } = await heldElsewhere(ticket, fields);

  const answers = await burst(body, 100);
  expect(answers.filter((a) => a.status === 503)).toEqual([]);
  expect(answers.every((a) => a.body.duplicate === true && a.body.runId === runId)).toBe(true);
  expect(watches(runId)).toHaveLength(1);
  const logged = (event: string) => stack.logs.filter((line) => line.includes(`"event":"${event}"`) && line.includes(runId)).length;
  expect([logged("watch_queued"), logged("watch_pending")]).toEqual([1, 99]);
  expect((await burst(body, 100)).every((a) => a.body.duplicate === true)).toBe(true);
  expect(watches(runId)).toHaveLength(1);

  // The holder renews just before the watch is due: the watch looks again later, still the only one.
  const [first] = stack.queue.messages.splice(0);
  stack.clock.advance?.(first!.delayMs - 2_000);
  await lease.renew();
  stack.clock.advance?.(2_000);
  await handleContinuation(stack.deps, first!.wire, 1, () => undefined);
  expect(watches(runId)).toHaveLength(1);
  expect(await stack.deps.store.get(runId)).toMatchObject({ status: "running", attempts: 1 });
  expect((await burst(body, 20)).every((a) => a.body.duplicate === true)).toBe(true);
  expect(watches(runId)).toHaveLength(1);

  // The holder dies: the re-armed watch takes the run when its lease runs out and finishes it.
  expect(await stack.continueRuns()).toBe(1);
  const record = (await stack.getRun(runId)).body;
  expect(record).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(lease.lost).toBe(false); // it never wrote again: it is the dead holder
  // Done: nothing pending and nothing more to watch.
  const after = await stack.post(body);
  expect(after.body).toMatchObject({ duplicate: true, status: "succeeded" });
  expect(stack.queue.messages).toHaveLength(0);
});

it("a watch that could not be queued leaves nothing pending: the next duplicate queues it", async () => {
  const ticket = 95_002;
  const fields = { "User Email": "miriam.graham@contoso.com" };
  const body = webhookFor(INTENT, fields, ticket);
  const { runId } = await heldElsewhere(ticket, fields);
  stack.queue.failing = true;
  const refused = await stack.post(body);
  expect(refused.status).toBe(503);
  expect(refused.body.error.code).toBe("STORE_ERROR");
  stack.queue.failing = false;
  const answers = await burst(body, 30);
  expect(answers.every((a) => a.status !== 503 && a.body.duplicate === true)).toBe(true);
  expect(watches(runId)).toHaveLength(1);
  stack.queue.messages.splice(0);
});
