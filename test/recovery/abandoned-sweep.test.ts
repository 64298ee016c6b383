/**
 * Abandoned runs nobody redelivers. An instance running New User Creation is killed (SIGKILL) after
 * Graph created the user and while the password mail is on its way, and Thread never sends the
 * webhook again. The abandoned-run sweep (two instances ticking at once) takes the run once its
 * lease has been over for the grace period, and finishes it from its checkpoints and the input kept
 * sealed on its row: no second user, no second password, the mail with the password the user has,
 * one PSA note of each kind saying it succeeded. A run whose holder is alive and renews is never
 * taken, even by a sweep that read it as abandoned; a run claimed before inputs were kept ends as
 * failed (RUN_ABANDONED) with its completed steps, the notes and the failure mail saying so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { odata, TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUNS_TABLE } from "../../engine/hosts/compose/pipeline";
import { DEFAULT_ABANDONED_GRACE_MS } from "../../engine/hosts/config";
import { psaSimulatorSettings } from "../../engine/hosts/local/dev-stack";
import { sweepAbandonedRuns } from "../../engine/lifecycle/continue/abandoned";
import { handleReportMessage } from "../../engine/lifecycle/report";
import { idempotencyKey, runIdFor } from "../../engine/lifecycle/store/run-key";
import type { RunStore } from "../../engine/lifecycle/store/types";
import { startSandbox, type IssuedCredential, type Sandbox } from "../../sandbox";
import { startPsaSandboxes, type PsaSandboxes } from "../../sandbox/psa";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock, type ManualClock } from "../support/manual-clock";
import { HELPDESK, RECOVERY_SECRET, startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";
import { ClockQueue } from "../lifecycle/report/clock-queue";

const LEASE_MS = 60_000;
const NOTIFIED = "megan.bowen@contoso.com";

let azurite: RunningAzurite;
let sandbox: Sandbox;
let psas: PsaSandboxes;
let child: ChildProcess | undefined;
const stacks: RecoveryStack[] = [];
const credentials: IssuedCredential[] = [];

interface Instance {
  stack: RecoveryStack;
  clock: ManualClock;
  /** Delivers every PSA note the instance's outbox holds. */
  deliverReports(): Promise<void>;
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ onCredential: (issued) => credentials.push(issued) });
  psas = await startPsaSandboxes();
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const stack of stacks) await stack.close();
  await psas?.close();
  await sandbox?.close();
  await azurite?.close();
});

/** An instance of the app (its own clock) reporting to the ConnectWise simulator through an outbox on that clock. */
async function startInstance(at: number): Promise<Instance> {
  const clock = createManualClock(at);
  const reports = new ClockQueue(clock);
  const stack = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock, reportQueue: reports, env: psaSimulatorSettings(psas, "connectwise") });
  stacks.push(stack);
  return {
    stack, clock,
    async deliverReports() {
      for (let i = 0; i < 20 && (await reports.step((raw) => handleReportMessage(stack.host.reporting.delivery, raw, () => undefined))); i++);
    },
  };
}

async function startChild(): Promise<{ url: string; process: ChildProcess }> {
  const started = spawn(process.execPath, ["bin/run-ts.cjs", "test/recovery/support/engine-child.ts"], {
    env: { ...process.env, STORAGE: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, ARM_BASE_URL: sandbox.armBaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(createInterface({ input: started.stdout! }), "line")) as [string];
  return { url: (JSON.parse(line) as { url: string }).url, process: started };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function runsTable(): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, RUNS_TABLE, { allowInsecureConnection: true });
}

async function runRowOfTicket(ticketId: number): Promise<Record<string, unknown>> {
  for await (const row of runsTable().listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`ticketId eq ${String(ticketId)}` } })) return row;
  throw new Error(`no run for ticket ${ticketId}`);
}

const notesOn = (ticket: number) => psas.connectwise.tickets.list(ticket).map((note) => ({ internal: note.internal, text: note.text }));

it("a run killed mid-delivery and never redelivered is finished once by the sweep, from its checkpoints, with the password the user has", async () => {
  const ticket = 94_101;
  const fields = { "Display Name": "Noor Haddad", Email: "noor.haddad@contoso.com", "First Name": "Noor", "Last Name": "Haddad", "License SKU": "SPB", "Group Memberships": "Marketing, IT Department" };
  const held = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", method: "POST", path: "/v1.0/users/*/sendMail", latencyMs: 15_000, times: 1 }),
  });
  const rule = (await held.json()) as { id: string };
  const app = await startChild();
  child = app.process;
  void fetch(`${app.url}/api/intent`, { method: "POST", headers: { "content-type": "application/json", "x-intent-secret": RECOVERY_SECRET }, body: JSON.stringify(webhookFor("New User Creation", fields, ticket)) }).catch(() => undefined);
  await until(async () => {
    const rules = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as { value: Array<{ id: string; applied: number }> };
    return rules.value.find((r) => r.id === rule.id)?.applied === 1;
  }, "the password mail to be on its way");
  const password = credentials.find((c) => c.userPrincipalName === "noor.haddad@contoso.com")?.value;
  expect(password).toBeDefined();
  child.kill("SIGKILL");
  await once(child, "exit");

  // The row keeps the run's input from its claim, sealed: nothing of the request reads in clear.
  const row = await runRowOfTicket(ticket);
  const runId = String(row.partitionKey);
  expect(row).toMatchObject({ status: "running", suspended: false });
  expect(Number(row.inputParts)).toBeGreaterThan(0);
  expect(JSON.stringify(row)).not.toContain("Noor");
  expect(JSON.stringify(row)).not.toContain("noor.haddad");

  // Two instances, their clocks past the dead instance's lease but within the grace period: nothing is taken.
  const leaseEnded = Number(row.leaseUntil);
  const [a, b] = [await startInstance(leaseEnded + 1_000), await startInstance(leaseEnded + 1_000)];
  expect(await a.stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 0 });
  expect((await a.stack.getRun(runId)).body).toMatchObject({ status: "running", attempts: 1 });

  // Past the grace period both sweep at once: one takes the run and finishes it, the other finds it taken or done.
  a.clock.advance(DEFAULT_ABANDONED_GRACE_MS);
  b.clock.advance(DEFAULT_ABANDONED_GRACE_MS);
  const reports = await Promise.all([a.stack.sweepAbandoned(), b.stack.sweepAbandoned()]);
  expect(reports.map((r) => r.resumed).reduce((x, y) => x + y)).toBe(1);
  expect(reports.map((r) => r.ended + r.failed).reduce((x, y) => x + y)).toBe(0);
  const winner = reports[0]!.resumed === 1 ? a : b;

  const record = (await a.stack.getRun(runId)).body;
  expect(record).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(record.steps.filter((s: { resumed?: boolean }) => s.resumed).map((s: { id: string }) => s.id)).toEqual(["lookup", "groupLookup", "password", "create"]);
  expect(JSON.stringify(record)).not.toContain(password);
  // Exactly once: one user, one password, and the mail carries the password the user has.
  expect(sandbox.tenant.users.filter((u) => u.userPrincipalName === "noor.haddad@contoso.com")).toHaveLength(1);
  expect(sandbox.requests().filter((r) => r.method === "POST" && r.path === "/v1.0/users" && JSON.stringify(r.body ?? "").includes("noor.haddad"))).toHaveLength(1);
  expect(credentials.filter((c) => c.userPrincipalName === "noor.haddad@contoso.com" && c.kind === "password")).toHaveLength(1);
  expect(sandbox.tenant.sentMail.filter((m) => JSON.stringify(m.message.toRecipients).includes(HELPDESK)).some((m) => m.message.body?.content.includes(password!))).toBe(true);
  const noor = sandbox.tenant.users.find((u) => u.userPrincipalName === "noor.haddad@contoso.com")!;
  expect(noor.assignedLicenses).toHaveLength(1);
  expect(sandbox.tenant.groups.filter((g) => g.members.includes(noor.id)).map((g) => g.displayName).sort()).toEqual(["IT Department", "Marketing"]);
  expect(winner.stack.logs.some((line) => line.includes('"abandoned_run_taken"') && line.includes(runId))).toBe(true);

  // The ticket hears it once: one internal and one customer note, both of success, neither with the password.
  await a.deliverReports();
  await b.deliverReports();
  const notes = notesOn(ticket);
  expect(notes.map((n) => n.internal).sort()).toEqual([false, true]);
  expect(notes.every((n) => n.text.includes("/succeeded/"))).toBe(true);
  expect(JSON.stringify(notes)).not.toContain(password);
  // The ended run keeps no input, and a later sweep has nothing to do.
  expect((await runRowOfTicket(ticket)).inputParts).toBeUndefined();
  expect(await b.stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 0, busy: 0 });
}, 60_000);

describe("runs the sweep must not take, or cannot resume", () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await startInstance(Date.now());
  });

  const identity = (ticket: number, intentName: string) => ({ runId: runIdFor(idempotencyKey(String(ticket), intentName, `sweep-${ticket}`)), ticketId: String(ticket), intentName });

  it("a run whose holder is alive and renews is never taken, not even by a sweep that read it as abandoned", async () => {
    const { stack, clock } = instance;
    const run = identity(94_102, "Password Reset");
    const claim = await stack.deps.store.claim(run);
    if (claim.kind !== "claimed") throw new Error("not claimed");
    await claim.lease.indexed; // as its runner waits before its first step
    // Well past a lease and the grace period, renewing as a live holder's heartbeat does.
    for (let i = 0; i < 24; i++) {
      clock.advance(LEASE_MS / 2);
      await claim.lease.renew();
      expect(await stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 0, busy: 0, failed: 0 });
    }
    // A sweep that read the row before the last renewal takes nothing: the take is conditional on the row as it is.
    const store = stack.deps.store;
    const stale: RunStore = Object.assign(Object.create(store) as RunStore, {
      get: async (runId: string) => {
        const record = await store.get(runId);
        return record && { ...record, leaseUntil: 0 };
      },
    });
    const report = await sweepAbandonedRuns({ ...stack.deps, store: stale }, () => undefined);
    expect(report).toMatchObject({ resumed: 0, ended: 0, busy: 1 });
    expect(claim.lease.lost).toBe(false);
    expect(await stack.deps.store.get(run.runId)).toMatchObject({ status: "running", attempts: 1 });
    // Its holder finishes it: still its own.
    expect(await claim.lease.finish({ status: "succeeded", message: "Done.", steps: [] })).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("a run claimed before inputs were kept ends as failed RUN_ABANDONED, its completed steps on record, and says so on the ticket and by mail", async () => {
    const { stack, clock } = instance;
    const ticket = 94_103;
    const run = identity(ticket, "Password Reset");
    const claim = await stack.deps.store.claim(run);
    if (claim.kind !== "claimed") throw new Error("not claimed");
    await claim.lease.indexed; // as its runner waits before its first step
    await stack.deps.store.journal(run.runId).save("lookup", { result: { id: "lookup", kind: "graph.request", status: "ok", attempts: 1, durationMs: 40 }, outputs: {} });
    // The instance stops without a trace; nobody sends the webhook again.
    clock.advance(LEASE_MS + DEFAULT_ABANDONED_GRACE_MS + 1_000);
    expect(await stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 1, failed: 0 });

    const record = (await stack.getRun(run.runId)).body;
    expect(record).toMatchObject({ status: "failed", attempts: 2, error: { code: "RUN_ABANDONED" } });
    expect(record.error.message).toContain("no copy of its request was kept");
    expect(record.steps).toEqual([expect.objectContaining({ id: "lookup", status: "ok" })]);
    await instance.deliverReports();
    const notes = notesOn(ticket);
    expect(notes.map((n) => n.internal).sort()).toEqual([false, true]);
    const internal = notes.find((n) => n.internal)!.text;
    expect(internal).toContain("RUN_ABANDONED");
    expect(internal).toContain("What was done:");
    expect(internal).toContain("send the request again from Thread");
    expect(stack.mailTo(NOTIFIED).some((m) => m.subject.includes(`Ticket #${ticket}`) && m.content.includes("RUN_ABANDONED"))).toBe(true);
    // Ended once: the next sweep finds nothing.
    clock.advance(DEFAULT_ABANDONED_GRACE_MS);
    expect(await stack.sweepAbandoned()).toMatchObject({ resumed: 0, ended: 0 });
  });
});
