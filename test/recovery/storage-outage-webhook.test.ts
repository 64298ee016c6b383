/**
 * 3 (the HTTP part). Storage fails while a webhook's own run is going on: Azurite (its data on
 * disk) is stopped while the run's second write waits on Graph, and started again on the same
 * ports. The run stops quietly (no result, no failure mail). With the queue still there, it goes
 * on from a continuation once its lease has run out; with the queue gone too, the caller is told
 * 503, and the redelivery that follows, although it arrives while the stopped run's lease still
 * reads as held, leaves a watch that finishes the run once the lease runs out. Either way the
 * record ends succeeded and the tenant as asked, with no write sent more than twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startAzurite, type RunningAzurite } from "../../engine/hosts/local/azurite";
import { startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";
import { revokeHeld } from "./support/held-revoke";

const LEASE_MS = 60_000;
let dir: string;
let azurite: RunningAzurite;
let stack: RecoveryStack;
let ticket = 96_000;

const portOf = (url: string) => Number(new URL(url).port);
const ADELE = "adele.vance@contoso.com";
const revokes = () => stack.sandbox.requests().filter((r) => r.method === "POST" && r.path.endsWith("/revokeSignInSessions"));
const failureMails = () => stack.mailTo("megan.bowen@contoso.com");

/** Sends an offboarding whose revoke is slow, and takes storage away (and the queue, if asked) while it waits. */
async function postThroughOutage(body: unknown, queueToo: boolean): Promise<{ status: number; body: any }> {
  await stack.clearFaults();
  await stack.faults([{ kind: "latency", method: "POST", path: "/v1.0/users/*/revokeSignInSessions", latencyMs: 1_000, times: 1 }]);
  const answered = stack.post(body);
  await revokeHeld(stack.sandbox.url);
  const tablePort = portOf(azurite.tableUrl);
  const queuePort = portOf(azurite.queueUrl);
  await azurite.close();
  stack.queue.failing = queueToo;
  const answer = await answered;
  azurite = await startAzurite({ location: dir, tablePort, queuePort });
  stack.queue.failing = false;
  return answer;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "recovery-webhook-azurite-"));
  azurite = await startAzurite({ location: dir });
  stack = await startRecoveryStack({ storage: azurite.connectionString, env: { RUN_LEASE_MS: String(LEASE_MS) } });
});

afterAll(async () => {
  await stack?.close();
  await azurite?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  const adele = stack.sandbox.tenant.users.find((u) => u.userPrincipalName === ADELE)!;
  adele.accountEnabled = true;
  stack.queue.messages.length = 0;
});

async function expectOffboarded(runId: string, revokesBefore: number): Promise<void> {
  const record = await stack.getRun(runId);
  expect(record.body.status).toBe("succeeded");
  // Asked for sign-in off and sessions revoked only: every other option's step is skipped.
  expect(record.body.steps.filter((s: { status: string }) => s.status !== "skipped").map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
    "lookup:ok", "disable:changed", "revoke:changed",
  ]);
  expect(stack.sandbox.tenant.users.find((u) => u.userPrincipalName === ADELE)?.accountEnabled).toBe(false);
  expect(revokes().length - revokesBefore).toBe(2); // the one whose checkpoint was lost, then once more
  expect(failureMails()).toHaveLength(0);
}

it("with the queue still there, the run answers 202 and a continuation finishes it once its lease has run out", async () => {
  const revokesBefore = revokes().length;
  const answer = await postThroughOutage(webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": ADELE }, ++ticket), false);
  expect(answer.status).toBe(202);
  expect(answer.body.status).toBe("running");
  expect(stack.queue.messages.map((m) => [m.runId, m.delayMs, m.wire.watch])).toEqual([[answer.body.runId, LEASE_MS, undefined]]);
  expect(stack.logs.some((line) => line.includes('"event":"run_stopped"'))).toBe(true);
  expect(await stack.continueRuns()).toBe(1);
  await expectOffboarded(answer.body.runId, revokesBefore);
}, 30_000);

it("with the queue gone too, the answer is 503; an early redelivery leaves a watch that finishes the run when the lease runs out", async () => {
  const revokesBefore = revokes().length;
  const body = webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": ADELE }, ++ticket);
  const answer = await postThroughOutage(body, true);
  expect(answer.status).toBe(503);
  expect(answer.body.error.code).toBe("STORE_ERROR");
  expect(stack.queue.messages).toHaveLength(0);
  const runId = answer.body.runId as string;
  expect((await stack.getRun(runId)).body.status).toBe("running");

  // Thread tries again at once: the stopped run's lease still reads as held.
  const again = await stack.post(body);
  expect(again.status).toBe(202);
  expect(again.body).toMatchObject({ runId, status: "running", duplicate: true });
  expect(stack.queue.messages).toHaveLength(1);
  expect(stack.queue.messages[0]!.wire.watch).toBe(true);
  expect(stack.queue.messages[0]!.delayMs).toBeGreaterThan(LEASE_MS - 5_000);

  expect(await stack.continueRuns()).toBe(1);
  await expectOffboarded(runId, revokesBefore);
  expect(stack.queue.messages).toHaveLength(0);
}, 30_000);

it("a watch that finds the run still in its holder's hands looks again when the lease runs out, and does nothing once the run has finished", async () => {
  // Only the tables go away, so the stopped run queues its own continuation; a redelivery queues a watch.
  const body = webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": ADELE }, ++ticket);
  const answer = await postThroughOutage(body, false);
  const runId = answer.body.runId as string;
  const duplicate = await stack.post(body);
  expect(duplicate.status).toBe(202);
  const [continuation, watch] = stack.queue.messages.splice(0);
  expect([continuation!.wire.watch, watch!.wire.watch]).toEqual([undefined, true]);

  // Delivered before the lease has run out, the watch queues itself again for the lease's end.
  stack.queue.messages.push({ ...watch!, delayMs: 0 });
  expect(await stack.continueRuns()).toBe(1);
  expect(stack.queue.messages.map((m) => m.wire.watch)).toEqual([true]);
  expect((await stack.getRun(runId)).body.attempts).toBe(1);

  // The run's own continuation finishes it; the watch then finds it finished and does nothing.
  stack.queue.messages.unshift(continuation!);
  expect(await stack.continueRuns()).toBe(2);
  expect(stack.queue.messages).toHaveLength(0);
  const record = await stack.getRun(runId);
  expect(record.body).toMatchObject({ status: "succeeded", attempts: 2 });
}, 30_000);

it("a redelivery of a run that waits for its own continuation leaves no watch", async () => {
  await stack.clearFaults();
  // The revoke waits out a 6 s Retry-After on the run's clock, past the 5 s budget: the run suspends.
  await stack.faults([{ kind: "throttle", method: "POST", path: "/v1.0/users/*/revokeSignInSessions", retryAfter: 6, times: 1 }]);
  const body = webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": ADELE }, ++ticket);
  const answer = await stack.post(body);
  expect(answer.status).toBe(202);
  expect(stack.queue.messages.map((m) => m.wire.watch)).toEqual([undefined]);
  const again = await stack.post(body);
  expect(again.body).toMatchObject({ status: "running", duplicate: true });
  expect(stack.queue.messages).toHaveLength(1);
  expect(await stack.continueRuns()).toBe(1);
  expect((await stack.getRun(answer.body.runId)).body.status).toBe("succeeded");
}, 30_000);
