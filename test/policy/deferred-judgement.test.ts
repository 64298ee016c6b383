/**
 * Requester policy under the HTTP budget, over real HTTP: with Graph slow and one request allowed
 * in flight, a run whose judgement cannot start within RUN_BUDGET_MS answers 202 having read and
 * written nothing, and its continuation judges it before any step; a refused requester stays
 * refused there (denied, not one write), and the continuation of a run policy let go ahead carries
 * that clearance so it is not judged twice.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../engine/core/clock";
import { unseal } from "../../engine/lifecycle/continue/sealing";
import type { RunInput } from "../../engine/lifecycle/execute/run-input";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { RECOVERY_SECRET, startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";

const BUDGET_MS = 400;
const LATENCY_MS = 300;
const RUNS = 6;
let azurite: RunningAzurite;
let stack: RecoveryStack;

beforeAll(async () => {
  azurite = await startTestAzurite();
  stack = await startRecoveryStack({ storage: azurite.connectionString, clock: systemClock, env: { RUN_BUDGET_MS: String(BUDGET_MS), GRAPH_CONCURRENCY: "1" } });
});

afterAll(async () => {
  await stack?.close();
  await azurite?.close();
});

/** A webhook from Ben Walters, Adele's colleague: under the demo policy he may not reset her password. */
const fromColleague = (ticketId: number) => {
  const body = webhookFor("Password Reset", { "User Email": "adele.vance@contoso.com" }, ticketId);
  return { ...body, meta_data: { ...body.meta_data, contact_name: "Ben Walters", contact_email: "ben.walters@contoso.com" } };
};
const writes = () => stack.sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/v1.0/$batch");
const events = (name: string) => stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.event === name);

it("a refused requester whose judgement was deferred is judged by the continuation and refused there, with not one write", async () => {
  await stack.faults([{ kind: "latency", latencyMs: LATENCY_MS }]);
  const answers = await Promise.all(Array.from({ length: RUNS }, (_, i) => stack.post(fromColleague(61_000 + i))));
  const deferred = answers.filter((a) => a.status === 202);
  expect(deferred.length).toBeGreaterThan(0);
  expect(answers.filter((a) => a.status !== 202).every((a) => a.status === 403 && a.body.error.code === "APPROVAL_REQUIRED")).toBe(true);
  expect(deferred.every((a) => a.body.status === "running")).toBe(true);
  expect(events("policy_deferred").map((e) => e.runId).sort()).toEqual(deferred.map((a) => a.body.runId).sort());
  // Deferred before any read: the continuation carries no clearance.
  for (const message of stack.queue.messages) expect((unseal(message.wire.sealed, RECOVERY_SECRET) as RunInput).cleared).toBeUndefined();

  await stack.clearFaults();
  for (let round = 0; round < 10 && stack.queue.messages.length > 0; round++) await stack.continueRuns();
  for (const answer of deferred) {
    const record = await stack.getRun(answer.body.runId);
    expect(record.body).toMatchObject({ status: "denied", error: { code: "APPROVAL_REQUIRED" }, steps: [] });
  }
  expect(writes()).toEqual([]);
  expect(stack.sandbox.tenant.sentMail).toEqual([]); // no password delivered, and a refusal is no failure to mail
}, 30_000);

it("a run policy let go ahead continues with its clearance: the continuation does not judge it again", async () => {
  const judged = () => events("policy").length;
  // Megan is the Service Desk; three slow round trips outlive the budget, so the run continues from the queue.
  await stack.faults([{ kind: "latency", latencyMs: LATENCY_MS }]);
  const answer = await stack.post(webhookFor("User Offboarding", { "User Email": "diego.siciliani@contoso.com" }, 61_100));
  expect(answer.status).toBe(202);
  await stack.clearFaults();
  const before = judged();
  const sealed = stack.queue.messages.find((m) => m.runId === answer.body.runId)?.wire.sealed ?? "";
  expect((unseal(sealed, RECOVERY_SECRET) as RunInput).cleared).toBe(true);
  for (let round = 0; round < 10 && stack.queue.messages.length > 0; round++) await stack.continueRuns();
  expect((await stack.getRun(answer.body.runId)).body.status).toBe("succeeded");
  expect(judged()).toBe(before);
}, 30_000);
