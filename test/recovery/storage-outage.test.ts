/**
 * 3. Storage fails during a continuation: Azurite (with its data on disk) is stopped while the
 * continuation waits on Graph, and started again on the same ports. The continuation stops
 * quietly (no result, no failure mail, its message kept); once storage is back and the lease it
 * held has lapsed, the kept message finishes the run from its checkpoints: the mailbox converted
 * once, the record succeeded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAzurite, type RunningAzurite } from "../../engine/hosts/local/azurite";
import { startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";

let dir: string;
let azurite: RunningAzurite;
let stack: RecoveryStack;

const portOf = (url: string) => Number(new URL(url).port);

/** Until the sandbox holds the continuation's job poll in its latency rule. */
async function pollArrived(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rules = (await (await fetch(`${stack.sandbox.url}/_sandbox/faults`)).json()) as { value: Array<{ kind: string; applied: number }> };
    if (rules.value.some((rule) => rule.kind === "latency" && rule.applied === 1)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the continuation never polled the job");
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "recovery-azurite-"));
  azurite = await startAzurite({ location: dir });
  // Short enough that the run suspends at its first Automation poll and continues from the queue:
  // the runbook route, whose jobs are polled (the admin API answers within the webhook's run).
  stack = await startRecoveryStack({ storage: azurite.connectionString, env: { RUN_BUDGET_MS: "1000", RUN_LEASE_MS: "60000", EXCHANGE_MODE: "runbook" } });
});

afterAll(async () => {
  await stack?.close();
  await azurite?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("a continuation cut off by a storage outage stops quietly, keeps its message, and finishes the run once storage is back", async () => {
  const fields = { ...SIGN_OUT_ONLY, "User Email": "adele.vance@contoso.com", "Convert to Shared Mailbox": "Yes", "Remove Licenses": "Yes", "Remove from Groups": "Yes" };
  const answer = await stack.post(webhookFor("User Offboarding", fields, 93_001));
  expect(answer.status).toBe(202);
  expect(stack.queue.messages).toHaveLength(1);

  // The continuation's next poll of the job is slow; storage goes away while it waits.
  await stack.faults([{ kind: "latency", method: "GET", path: "/subscriptions/*", latencyMs: 1_000, times: 1 }]);
  const before = stack.logs.length;
  const cutOff = stack.continueRuns();
  await pollArrived();
  const tablePort = portOf(azurite.tableUrl);
  const queuePort = portOf(azurite.queueUrl);
  await azurite.close();
  expect(await cutOff).toBe(0);
  expect(stack.queue.messages).toHaveLength(1);
  const during = stack.logs.slice(before);
  expect(during.some((line) => line.includes('"event":"run_stopped"'))).toBe(true);
  expect(during.some((line) => line.includes('"event":"result"'))).toBe(false);
  expect(stack.mailTo("megan.bowen@contoso.com")).toHaveLength(0);

  azurite = await startAzurite({ location: dir, tablePort, queuePort });
  // The cut-off continuation's lease still reads as held: the message waits (kept again) until it lapses.
  expect(await stack.continueRuns()).toBe(0);
  expect((await stack.getRun(answer.body.runId)).body.status).toBe("running");
  stack.clock.advance?.(61_000);
  expect(await stack.continueRuns()).toBe(1);

  const record = await stack.getRun(answer.body.runId);
  expect(record.body.status).toBe("succeeded");
  expect(record.body.steps.filter((s: { status: string }) => s.status !== "skipped").map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
    "lookup:ok", "disable:changed", "revoke:changed", "leaveGraphGroups:changed", "leaveExchangeGroupsByRunbook:changed", "convertMailboxByRunbook:changed", "removeLicenses:changed",
  ]);
  const adele = stack.sandbox.tenant.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!;
  expect(adele.mailbox?.type).toBe("SharedMailbox");
  expect(adele.assignedLicenses).toEqual([]);
  const jobCreates = stack.sandbox.requests().filter((r) => r.method === "PUT" && r.path.includes("/jobs/"));
  expect(new Set(jobCreates.map((r) => r.path)).size).toBe(2); // one job per runbook step, never a second
  expect(stack.mailTo("megan.bowen@contoso.com")).toHaveLength(0);
}, 30_000);
