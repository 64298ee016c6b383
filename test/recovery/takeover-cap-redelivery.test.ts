/**
 * The takeover cap holds for a redelivery too. One instance runs an offboarding whose revoke hangs
 * (an instance that stopped renewing its lease, as a frozen or dying one does); a redelivery
 * reaches a second instance whose clock reads that lease as run out. With ABANDONED_RUN_MAX_TAKEOVERS
 * at 0 there, the takeover ends the run failed (RUN_ABANDONED) at once instead of running it again,
 * answers so, records what the first instance completed and mails the failure; the first instance
 * then finds the run is no longer its own and stops without a word.
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
  first = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(now), env: { RUN_LEASE_MS: "3000" } });
  second = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(now + 60_000), env: { RUN_LEASE_MS: "3000", ABANDONED_RUN_MAX_TAKEOVERS: "0" } });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await sandbox?.close();
  await azurite?.close();
});

it("a redelivery past the cap ends the run failed instead of running it again; the old holder stops quietly", async () => {
  await holdNextRevoke(sandbox.url, 8_000);
  const body = webhookFor("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "diego.siciliani@contoso.com" }, 96_101);
  const slow = first.post(body);
  await revokeHeld(sandbox.url);
  const sentBefore = sandbox.requests().length;
  const ended = await second.post(body);
  expect(ended.body).toMatchObject({ status: "failed", attempts: 2, error: { code: "RUN_ABANDONED" } });
  expect(ended.body.error.message).toContain("stopped before it ended once");
  // What the first instance completed (its lookup and the disable), nothing run again by the second.
  expect(ended.body.steps.filter((s: { status: string }) => s.status !== "skipped").map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(["lookup:ok", "disable:changed"]);
  expect(sandbox.requests().slice(sentBefore).filter((r) => !r.path.includes("sendMail"))).toEqual([]);
  expect(second.mailTo("megan.bowen@contoso.com").some((m) => m.content.includes("RUN_ABANDONED"))).toBe(true);

  const stopped = await slow;
  expect(stopped.status).toBe(202);
  expect(first.logs.some((line) => line.includes('"event":"lease_lost"'))).toBe(true);
  expect(first.logs.some((line) => line.includes('"event":"result"'))).toBe(false);
  expect((await first.getRun(ended.body.runId)).body).toMatchObject({ status: "failed", attempts: 2, error: { code: "RUN_ABANDONED" } });
}, 30_000);
