/**
 * A run that stops its instance every time it runs (here: killed each time its password mail is on
 * its way, as a host that runs out of memory on that step would be) is not taken over for ever. The
 * webhook's instance is killed; the abandoned-run sweep of a second instance takes the run over and
 * is killed at the same step; with ABANDONED_RUN_MAX_TAKEOVERS at 1, the next sweep ends the run
 * `failed` (RUN_ABANDONED, saying how often its instance stopped) with the steps its checkpoints say
 * were done, a failure mail, and no password anywhere in them. The password stays sealed: a
 * redelivery once the cause is gone starts the count afresh and delivers the one the user has.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { odata, TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUNS_TABLE } from "../../engine/hosts/compose/pipeline";
import { DEFAULT_ABANDONED_GRACE_MS } from "../../engine/hosts/config";
import { startSandbox, type IssuedCredential, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { HELPDESK, RECOVERY_SECRET, startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";

const LEASE_MS = 60_000;
/** How far ahead of the previous holder's lease an instance's clock must be for its sweep to take the run. */
const ABANDONED_AFTER_MS = LEASE_MS + DEFAULT_ABANDONED_GRACE_MS + 5_000;
const NOTIFIED = "megan.bowen@contoso.com";
const NEW_USER = { "Display Name": "Ravi Menon", Email: "ravi.menon@contoso.com", "First Name": "Ravi", "Last Name": "Menon", "License SKU": "SPB", "Group Memberships": "Marketing" };
const RAVI = "ravi.menon@contoso.com";

let azurite: RunningAzurite;
let sandbox: Sandbox;
const children: ChildProcess[] = [];
let stack: RecoveryStack | undefined;
const credentials: IssuedCredential[] = [];

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ onCredential: (issued) => credentials.push(issued) });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await stack?.close();
  await sandbox?.close();
  await azurite?.close();
});

/** An instance of the app in a process of its own; with `sweepAheadMs` it runs one sweep on a clock that far ahead. */
async function startChild(sweepAheadMs?: number): Promise<{ first: Record<string, unknown>; process: ChildProcess }> {
  const started = spawn(process.execPath, ["bin/run-ts.cjs", "test/recovery/support/engine-child.ts"], {
    env: {
      ...process.env, STORAGE: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, ARM_BASE_URL: sandbox.armBaseUrl,
      ...(sweepAheadMs ? { SWEEP_AHEAD_MS: String(sweepAheadMs) } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(started);
  const [line] = (await once(createInterface({ input: started.stdout! }), "line")) as [string];
  return { first: JSON.parse(line) as Record<string, unknown>, process: started };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Until the held password mail has reached the sandbox `times` times in all. */
async function mailHeld(ruleId: string, times: number): Promise<void> {
  await until(async () => {
    const rules = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as { value: Array<{ id: string; applied: number }> };
    return rules.value.find((r) => r.id === ruleId)?.applied === times;
  }, `the password mail to be on its way (${times})`);
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
}

async function runRow(ticketId: number): Promise<Record<string, unknown>> {
  const runs = TableClient.fromConnectionString(azurite.connectionString, RUNS_TABLE, { allowInsecureConnection: true });
  for await (const row of runs.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`ticketId eq ${String(ticketId)} and RowKey eq 'run'` } })) return row;
  throw new Error(`no run for ticket ${ticketId}`);
}

it("a run whose instance is killed every time it runs is taken over at most ABANDONED_RUN_MAX_TAKEOVERS times, then ends failed, truthfully, with its password kept for a retry", async () => {
  const ticket = 94_201;
  const body = webhookFor("New User Creation", NEW_USER, ticket);
  // The password mail is held long enough (longer than this test) for each instance to be killed while it waits.
  const held = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", method: "POST", path: "/v1.0/users/*/sendMail", latencyMs: 120_000, times: 2 }),
  });
  const rule = (await held.json()) as { id: string };

  // 1. The webhook's instance: killed with the user made and the mail on its way.
  const app = await startChild();
  void fetch(`${app.first.url}/api/intent`, { method: "POST", headers: { "content-type": "application/json", "x-intent-secret": RECOVERY_SECRET }, body: JSON.stringify(body) }).catch(() => undefined);
  await mailHeld(rule.id, 1);
  await kill(app.process);
  const password = credentials.find((c) => c.userPrincipalName === RAVI)?.value;
  expect(password).toBeDefined();
  expect(await runRow(ticket)).toMatchObject({ status: "running", suspended: false, attempts: 1 });

  // 2. A sweep past the lease and the grace period takes it over (the first takeover: run again) and is killed at the same step.
  const sweeper = await startChild(ABANDONED_AFTER_MS);
  expect(sweeper.first).toEqual({ sweeping: true });
  await mailHeld(rule.id, 2);
  await kill(sweeper.process);
  const taken = await runRow(ticket);
  expect(taken).toMatchObject({ status: "running", attempts: 2, takeovers: 1 });

  // 3. With one takeover allowed, the next sweep ends the run instead of running it a third time.
  stack = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(Date.now() + 2 * ABANDONED_AFTER_MS), env: { ABANDONED_RUN_MAX_TAKEOVERS: "1" } });
  expect(await stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 1, failed: 0 });
  const sentBefore = sandbox.requests().length;
  const record = (await stack.getRun(String(taken.partitionKey))).body;
  expect(record).toMatchObject({ status: "failed", attempts: 3, error: { code: "RUN_ABANDONED" } });
  expect(record.error.message).toContain("stopped before it ended 2 times");
  // What its checkpoints say was done: the user was made, the password never delivered.
  expect(record.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(["lookup:ok", "groupLookup:ok", "password:ok", "create:changed"]);
  expect(stack.logs.some((line) => line.includes('"event":"run_stopped_too_often"'))).toBe(true);
  // Its request is kept (sealed) for the console's Retry once the cause is fixed.
  expect((await stack.deps.operator?.kept.read(String(taken.partitionKey)))?.intentName).toBe("New User Creation");
  const failureMail = stack.mailTo(NOTIFIED).find((m) => m.subject.includes(`Ticket #${ticket}`));
  expect(failureMail?.content).toContain("RUN_ABANDONED");
  expect(failureMail?.content).toContain("stopped before it ended 2 times");
  expect(JSON.stringify(record) + JSON.stringify(stack.mailTo(NOTIFIED)) + stack.logs.join("\n")).not.toContain(password);
  // Nothing more was sent to the tenant, and a later sweep leaves the ended run alone.
  expect(sandbox.requests().length).toBe(sentBefore);
  stack.clock.advance?.(ABANDONED_AFTER_MS);
  expect(await stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 0, busy: 0 });

  // 4. The cause gone, Thread sends it again: the count starts afresh, the sealed password is delivered, the rest follows.
  await stack.clearFaults();
  const again = await stack.post(body);
  expect(again.body).toMatchObject({ runId: taken.partitionKey, status: "succeeded", attempts: 4 });
  expect(again.body.steps.filter((s: { resumed?: boolean }) => !s.resumed).map((s: { id: string }) => s.id)).toEqual(["deliver", "license", "addGroups"]);
  expect(await runRow(ticket)).toMatchObject({ status: "succeeded", takeovers: 0 });
  expect(sandbox.tenant.users.filter((u) => u.userPrincipalName === RAVI)).toHaveLength(1);
  expect(credentials.filter((c) => c.userPrincipalName === RAVI && c.kind === "password")).toHaveLength(1);
  expect(stack.mailTo(HELPDESK).some((m) => m.content.includes(password!))).toBe(true);
}, 90_000);
