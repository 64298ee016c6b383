/**
 * A claim returns before the run index holds the run, so requester policy reads while the index
 * is written. Nothing changes in the tenant until it does: the abandoned-run sweep finds running
 * runs through the index, so a run its instance stops under must be there before its first step.
 * The run's caller hears of the run only after that too, whatever the run came to.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runClaimed } from "../../engine/lifecycle/execute/runner";
import { idempotencyKey, runIdFor } from "../../engine/lifecycle/store/run-key";
import type { RunIndexWriter } from "../../engine/lifecycle/store/run-index";
import type { RunEntity } from "../../engine/lifecycle/store/run-records";
import { TableRunStore } from "../../engine/lifecycle/store/table-run-store";
import { openTable } from "../../engine/lifecycle/store/tables";
import type { RunInput } from "../../engine/lifecycle/execute/run-input";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { startRecoveryStack, type RecoveryStack } from "../support/recovery-stack";

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

/** An index whose claim write (status running) holds until the test opens it. */
class GatedIndex implements RunIndexWriter {
  readonly statuses: string[] = [];
  open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  async record(entity: RunEntity): Promise<void> {
    this.statuses.push(entity.status);
    if (entity.status === "running") await this.gate;
  }
}

it("judges the run while its claim is indexed, and runs no step before the index holds it", async () => {
  const storage = { kind: "connection-string" as const, connectionString: azurite.connectionString };
  const index = new GatedIndex();
  const store = new TableRunStore({
    runs: await openTable(storage, "gatedruns"), steps: await openTable(storage, "gatedsteps"), clock: stack.clock, leaseMs: stack.deps.settings.leaseMs,
    index, sealKey: async () => "gated-index-shared-secret",
  });
  const deps = { ...stack.deps, store };
  const intent = stack.deps.engine.find("Revoke Sessions")!;
  const mapped = stack.deps.engine.mapFields(intent, { "User Email": "adele.vance@contoso.com" });
  if (!mapped.ok) throw new Error("fields do not map");
  const runId = runIdFor(idempotencyKey("96001", intent.name, mapped.identity));
  const claim = await store.claim({ runId, ticketId: "96001", intentName: intent.name });
  if (claim.kind !== "claimed") throw new Error("not claimed");
  const input: RunInput = {
    intentName: intent.name, fields: mapped.fields, secretValues: mapped.secretValues,
    run: { runId, ticketId: "96001", intentName: intent.name, contactName: "Megan Bowen", contactEmail: "megan.bowen@contoso.com", companyName: "Contoso", startedAt: claim.lease.record.createdAt },
  };
  const adele = stack.sandbox.tenant.users.find((user) => user.userPrincipalName === "adele.vance@contoso.com")!;
  const before = adele.signInSessionsValidFromDateTime;

  const events: string[] = [];
  let judged: () => void = () => undefined;
  const policyRead = new Promise<void>((resolve) => (judged = resolve));
  let settled = false;
  const running = runClaimed(deps, { intent, input, lease: claim.lease, budgetMs: stack.deps.settings.runBudgetMs, accepted: false, judge: true }, (event, fields) => {
    events.push(event);
    if (event === "policy") {
      expect(fields).toMatchObject({ decision: "allow" });
      judged();
    }
  }).finally(() => (settled = true));

  await policyRead;
  // Round trips to storage and back, time enough for a step that did not wait to reach the tenant.
  for (let reads = 0; reads < 5; reads++) await store.get(runId);
  expect(events.filter((event) => event.startsWith("step."))).toEqual([]);
  expect(adele.signInSessionsValidFromDateTime).toBe(before);
  expect(settled).toBe(false);
  expect(index.statuses).toEqual(["running"]);

  index.open();
  expect(await running).toMatchObject({ kind: "done", result: { status: "succeeded" } });
  expect(adele.signInSessionsValidFromDateTime).not.toBe(before);
  expect(events.indexOf("policy")).toBeLessThan(events.findIndex((event) => event.startsWith("step.")));
  expect(index.statuses).toEqual(["running", "succeeded"]);
});
