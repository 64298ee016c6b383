/**
 * 3. A run that loses its lease stops quietly. One instance runs an offboarding whose second write
 * is slow; meanwhile a redelivery reaches a second instance whose clock already reads the first
 * one's lease as lapsed, takes the run over and finishes it. The first instance learns at its next
 * heartbeat that the run is no longer its own: it records nothing, mails nothing, and answers that
 * the run goes on. The record then tells what the second instance did.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";
import { holdNextRevoke, revokeHeld } from "./support/held-revoke";

let azurite: RunningAzurite;
let sandbox: Sandbox;
let first: RecoveryStack;
let second: RecoveryStack;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox();
  const now = Date.now();
  // The lease lasts 3 s (a heartbeat each second); the second instance's clock runs a minute ahead.
  first = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(now), env: { RUN_LEASE_MS: "3000" } });
  second = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(now + 60_000), env: { RUN_LEASE_MS: "3000" } });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await sandbox?.close();
  await azurite?.close();
});

it("stops without a result or a mail when another instance took the run over, which finishes it", async () => {
  await holdNextRevoke(sandbox.url, 4_000);
  const body = webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "diego.siciliani@contoso.com" }, 96_001);
  const slow = first.post(body);
  // The first instance has disabled the account and waits on its revoke: now the redelivery comes.
  await revokeHeld(sandbox.url);
  const takeover = await second.post(body);
  expect(takeover.body).toMatchObject({ status: "succeeded", attempts: 2 });
  // The steps that ran (every option but these two is off): what the first instance finished comes back resumed.
  expect(takeover.body.steps.filter((s: { status: string }) => s.status !== "skipped").map((s: { id: string; resumed?: boolean }) => [s.id, s.resumed === true])).toEqual([
    ["lookup", true], ["disable", true], ["revoke", false],
  ]);

  const stopped = await slow;
  expect(stopped.status).toBe(202);
  expect(stopped.body).toMatchObject({ runId: takeover.body.runId, status: "running" });
  expect(first.logs.some((line) => line.includes('"event":"lease_lost"'))).toBe(true);
  expect(first.logs.some((line) => line.includes('"event":"result"'))).toBe(false);
  expect(sandbox.tenant.sentMail).toHaveLength(0);
  const record = await first.getRun(takeover.body.runId);
  expect(record.body).toMatchObject({ status: "succeeded", attempts: 2 });
  const diego = sandbox.tenant.users.find((u) => u.userPrincipalName === "diego.siciliani@contoso.com")!;
  expect(diego.accountEnabled).toBe(false);
  expect(diego.signInSessionsValidFromDateTime).toBeDefined();
}, 30_000);
