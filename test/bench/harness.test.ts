/** The bench's measuring parts on tiny counts: they must count what they claim to. No timing asserts. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GraphRequest } from "../../engine/clients/graph/types";
import { afterEach, describe, expect, it } from "vitest";
import { measureEngineCpu } from "../../bench/engine-cpu";
import { generateIntents } from "../../bench/generate-intents";
import { instantClock, sandboxClients } from "../../bench/host";
import { dependentWaves, policyShare, retryAfterWindows } from "../../bench/log-analysis";
import { MemoryRunStore } from "../../bench/memory-store";
import { recordingClients, replayClients } from "../../bench/replay-clients";
import { formatRoundTrips, roundTripTargets } from "../../bench/report";
import { measureRoundTrips, type RoundTripFigure } from "../../bench/round-trips";
import { seedSequenceFor } from "../../bench/seed-sequences";
import { measureStorm } from "../../bench/storm";
import { percentile, summarise, timeEach } from "../../bench/stats";
import { BENCH_SETTINGS, type Workload } from "../../bench/workloads";
import { loadCatalog, type CompiledIntent } from "../../engine/index";
import type { GraphResponse } from "../../engine/clients/graph/types";
import { startSandbox, type RequestLogEntry, type Sandbox } from "../../sandbox";
import { builtinKindSpecs } from "../../engine/kinds";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const ok = (status: number, body: unknown = null): GraphResponse => ({ status, headers: {}, body, attempts: 1 });

function entry(sequence: number, startMs: number, durationMs: number, extra: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return { sequence, method: "GET", path: "/v1.0/users/a", query: {}, body: undefined, status: 200, time: new Date(startMs).toISOString(), durationMs, ...extra };
}

describe("stats", () => {
  it("takes nearest-rank percentiles and stops loops at their count or time cap", async () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile([...values].sort((a, b) => a - b), 50)).toBe(50);
    expect(summarise(values)).toMatchObject({ count: 100, p50: 50, p99: 99, min: 1, max: 100 });
    let calls = 0;
    expect(await timeEach(async () => void calls++, { iterations: 7, maxMs: 60_000, warmup: 2 })).toHaveLength(7);
    expect(calls).toBe(9);
    expect(await timeEach(async () => undefined, { iterations: 1_000, maxMs: 0 })).toHaveLength(0);
  });
});

describe("request-log analysis", () => {
  it("counts overlapping requests as one dependent wave and leaves batch items out", () => {
    const log = [entry(1, 0, 100), entry(2, 50, 100), entry(3, 200, 100, { path: "/v1.0/$batch", method: "POST" }), entry(4, 200, 0, { batch: { sequence: 3, itemId: "1" } })];
    expect(dependentWaves(log)).toBe(2);
    expect(dependentWaves([entry(1, 0, 100), entry(2, 100, 100), entry(3, 200, 100)])).toBe(3);
  });

  it("finds a resend inside the Retry-After window of its 429, and none when the client waited", () => {
    const throttled = entry(1, 0, 10, { status: 429 });
    expect(retryAfterWindows([throttled, entry(2, 510, 5)], 1_000)).toMatchObject({ throttled: 1, inside: 1, closestMs: 500 });
    expect(retryAfterWindows([throttled, entry(2, 1_010, 5)], 1_000)).toMatchObject({ throttled: 1, inside: 0, closestMs: 1_000 });
    // Another resource's request in the window is not a resend.
    expect(retryAfterWindows([throttled, entry(2, 20, 5, { path: "/v1.0/users/b" })], 1_000).inside).toBe(0);
  });

  it("tells requester policy's reads apart, and counts a round trip as the policy's only when it carried nothing else", () => {
    const policy: GraphRequest[] = [{ method: "GET", path: "/users/a%40contoso.com", query: { $select: "id,userPrincipalName" } }];
    const policyItem = (sequence: number, batch: number) => entry(sequence, 0, 10, { path: "/v1.0/users/a%40contoso.com", query: { $select: "id,userPrincipalName" }, batch: { sequence: batch, itemId: "p" } });
    const envelope = (sequence: number, startMs: number) => entry(sequence, startMs, 10, { method: "POST", path: "/v1.0/$batch" });
    // Shared: the intent's lookup (same path, its own $select) rode in the policy's $batch.
    const shared = [envelope(1, 0), policyItem(2, 1), entry(3, 0, 10, { query: { $select: "id" }, path: "/v1.0/users/a%40contoso.com", batch: { sequence: 1, itemId: "i" } }), entry(4, 20, 10, { method: "PATCH" })];
    expect(policyShare(shared, policy)).toEqual({ reads: 1, ownTrips: 0 });
    // Alone: a $batch of policy reads, then the intent's write.
    expect(policyShare([envelope(1, 0), policyItem(2, 1), entry(3, 20, 10, { method: "PATCH" })], policy)).toEqual({ reads: 1, ownTrips: 1 });
    expect(policyShare([envelope(1, 0), policyItem(2, 1)], [])).toEqual({ reads: 0, ownTrips: 0 });
  });
});

describe("replayed clients", () => {
  it("answer recorded calls in order, again after rewind, and refuse a call out of order", async () => {
    const answers = [ok(200, { id: "u1" }), ok(204)];
    let next = 0;
    const real = { request: async () => answers[next++]!, batch: async () => [], getAll: async () => ({ items: [], attempts: 1, pages: 1 }) };
    const recorder = recordingClients(real);
    await recorder.graph.request({ method: "GET", path: "/users/a" });
    await recorder.graph.request({ method: "PATCH", path: "/users/u1", body: {} });
    const replay = replayClients(recorder.recording);
    for (let round = 0; round < 2; round++) {
      replay.rewind();
      expect(await replay.graph.request({ method: "GET", path: "/users/a" })).toEqual(answers[0]);
      expect(await replay.graph.request({ method: "PATCH", path: "/users/u1" })).toEqual(answers[1]);
      expect(replay.remaining()).toBe(0);
    }
    replay.rewind();
    await expect(replay.graph.batch([{ method: "GET", path: "/users/a" }])).rejects.toThrow(/recording has request/);
  });
});

describe("memory run store", () => {
  it("claims a run once and answers the record to a second claim", async () => {
    const store = new MemoryRunStore();
    const first = await store.claim({ runId: "r1", ticketId: "1", intentName: "X" });
    expect(first.kind).toBe("claimed");
    if (first.kind === "claimed") await first.lease.finish({ status: "succeeded", message: "done", steps: [], outputs: { credential: "s3cret" } });
    const second = await store.claim({ runId: "r1", ticketId: "1", intentName: "X" });
    expect(second).toMatchObject({ kind: "existing", record: { status: "succeeded", result: { message: "done" } } });
    expect(JSON.stringify(second)).not.toContain("s3cret");
  });
});

describe("engine CPU and the seed's sequence against the sandbox", () => {
  const catalog = loadCatalog(builtinKindSpecs());
  const passwordReset: Workload = {
    intent: catalog.find("Password Reset") as CompiledIntent,
    fields: { "User Email": "adele.vance@contoso.com" },
    settings: { ...BENCH_SETTINGS },
    requester: "adele.vance@contoso.com",
    source: "test",
  };

  it("runs a webhook through the real pipeline the asked number of times, every one to its recorded end", async () => {
    const figure = await measureEngineCpu(catalog, passwordReset, { iterations: 5, maxMs: 60_000, warmup: 1 });
    expect(figure).toMatchObject({ intent: "Password Reset", status: "succeeded", mismatches: 0 });
    expect(figure.micros.count).toBe(5);
  });

  it("replays the seed's four calls for Add User to Group and its write reaches the tenant", async () => {
    sandbox = await startSandbox();
    const clients = sandboxClients(sandbox, BENCH_SETTINGS, instantClock());
    try {
      await seedSequenceFor("add user to  group")!.sequence({ ...clients, clock: instantClock(), fields: { "user email": "isaiah.langer@contoso.com", "Group Name": "Marketing" } });
    } finally {
      await clients.graph.close();
      await clients.exchange.close();
    }
    expect(sandbox.requests().map((e) => e.method)).toEqual(["GET", "GET", "GET", "POST"]);
    const marketing = sandbox.tenant.groups.find((g) => g.displayName === "Marketing")!;
    expect(marketing.members).toContain(sandbox.tenant.users.find((u) => u.userPrincipalName === "isaiah.langer@contoso.com")!.id);
    expect(seedSequenceFor("Offboard Everything")).toBeUndefined();
  });
});

describe("round trips and the storm on one intent", () => {
  const catalog = loadCatalog(builtinKindSpecs());
  const addToGroup: Workload = {
    intent: catalog.find("Add User to Group") as CompiledIntent,
    fields: { "User Email": "isaiah.langer@contoso.com", "Group Name": "Marketing" },
    settings: { ...BENCH_SETTINGS },
    requester: "isaiah.langer@contoso.com",
    source: "test",
  };

  it("counts our batched lookup once and the seed's four sequential calls", async () => {
    const figure = await measureRoundTrips(catalog, addToGroup, 20);
    // Requester policy's six reads (requester, their groups, target with manager, target's memberships,
    // eligible roles, administrative-unit roles) share the lookup's $batch.
    expect(figure.ours).toMatchObject({ graph: 2, arm: 0, dependent: 2, status: "succeeded", policy: { reads: 6, ownTrips: 0 } });
    expect(figure.seed?.policy).toBeUndefined();
    expect(figure.seed).toMatchObject({ graph: 4, arm: 0, dependent: 4 });
  });

  it("shows requester policy's own round trip before an intent that starts with a write, won back by its write and delivery sharing one", async () => {
    const reset: Workload = { ...addToGroup, intent: catalog.find("Password Reset") as CompiledIntent, fields: { "User Email": "adele.vance@contoso.com" }, requester: "adele.vance@contoso.com" };
    const figure = await measureRoundTrips(catalog, reset, 20);
    // The policy's $batch (no read to share it with), then one $batch: the PATCH and the delivery mail depending on it.
    expect(figure.ours).toMatchObject({ graph: 2, dependent: 2, status: "succeeded", policy: { reads: 6, ownTrips: 1 } });
  });

  it("rides out a storm with every 429 waited out and no run failing", async () => {
    const figure = await measureStorm(catalog, [addToGroup], { rounds: 2, rate: 0.3, retryAfterSec: 1 });
    expect(figure.runs).toBe(2);
    expect(figure.throttled).toBeGreaterThan(0);
    expect(figure).toMatchObject({ failures: 0, inside: 0 });
    expect(figure.completionMs).toBeGreaterThanOrEqual(figure.waits * 1_000);
  });
});

describe("generated intents", () => {
  it("are the shipped intents under new names, and all load", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const shipped = loadCatalog(builtinKindSpecs()).intents;
      generateIntents(shipped, 5, dir);
      const names = loadCatalog(builtinKindSpecs(), dir).supportedNames();
      expect(names).toHaveLength(5);
      expect(names).toContain(`${shipped[0]!.name} (copy 1)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("round trips of an Exchange intent on both routes", () => {
  const catalog = loadCatalog(builtinKindSpecs());
  const convert = (route: string): Workload => ({
    intent: catalog.find("Convert to Shared Mailbox") as CompiledIntent,
    fields: { "Mailbox Email": "johanna.lorenz@contoso.com" },
    settings: { ...BENCH_SETTINGS, EXCHANGE_MODE: route },
    requester: "isaiah.langer@contoso.com", // her manager, whom requester policy lets convert her mailbox
    source: "test",
  });

  it("counts one admin API call on the api route, a polled job on the runbook route, and the seed's pattern beside both", async () => {
    const api = await measureRoundTrips(catalog, convert("api"), 5);
    // Requester policy's reads (one Graph $batch: the run starts with a write), then the one cmdlet.
    expect(api).toMatchObject({ route: "api", seedPattern: true, ours: { graph: 1, exchange: 1, arm: 0, dependent: 2, exchangeDependent: 1, status: "succeeded" } });
    const runbook = await measureRoundTrips(catalog, convert("runbook"), 5);
    expect(runbook).toMatchObject({ route: "runbook", ours: { exchange: 0, arm: 4, status: "succeeded" } });
    // The seed polls every 5 s from the start; ours polls after 1 s, then 2 s, when the job is done.
    expect(runbook.seed).toMatchObject({ exchange: 0, arm: 4 });
    expect(runbook.ours.ms).toBeLessThan(runbook.seed!.ms);
    expect(api.ours.ms * 5).toBeLessThan(api.seed!.ms);
  });
});

describe("the round-trip bars", () => {
  const trips = (dependent: number, exchangeDependent: number, ms: number) => ({ graph: 0, exchange: exchangeDependent, arm: 0, dependent, exchangeDependent, ms, status: "succeeded" });
  const seed = trips(4, 0, 10_400);
  const met = (figures: RoundTripFigure[]) => Object.fromEntries(roundTripTargets(figures).map((bar) => [bar.what, bar.met]));

  it("hold an Exchange intent to ≤ 2 dependent Exchange trips and ⅕ of the seed on the admin API, the seed's time on runbooks", () => {
    const fast: RoundTripFigure[] = [
      { intent: "Convert", route: "api", ours: trips(1, 1, 110), seed },
      { intent: "Convert", route: "runbook", ours: trips(4, 0, 3_400), seed },
    ];
    expect(met(fast)).toMatchObject({
      "Exchange intents, admin API: dependent Exchange round trips": true,
      "Exchange intents, admin API: time vs seed": true,
      "Exchange intents, runbook route: time vs seed": true,
    });
    const slow: RoundTripFigure[] = [
      { intent: "Convert", route: "api", ours: trips(3, 3, 2_080), seed },
      { intent: "Convert", route: "runbook", ours: trips(4, 0, 10_401), seed },
    ];
    expect(met(slow)).toMatchObject({
      "Exchange intents, admin API: dependent Exchange round trips": false,
      "Exchange intents, admin API: time vs seed": false,
      "Exchange intents, runbook route: time vs seed": false,
    });
  });

  it("print the table and its bars for --only round-trips", () => {
    const machine = { cpus: 2, memoryGiB: 8, node: "v20", loadAverage: { start: 1, end: 1 }, date: "2026-12-02T00:00:00Z" };
    const text = formatRoundTrips(machine, 100, [{ intent: "Convert", route: "api", seedPattern: true, ours: trips(1, 1, 110), seed }]);
    expect(text).toMatch(/Convert †\s+api\s+0\+1\+0\s+1\s+1\s+—\s+110\s+0\+0\+0\s+4\s+10400\s+succeeded/);
    expect(text).toMatch(/Exchange intents, admin API: time vs seed\s+< ⅕ seed\s+110\/10400 ms\s+yes/);
  });
});
