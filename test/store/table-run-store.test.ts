/** The run store against Azurite: atomic claims, leases, takeovers, retries and checkpoints. */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult, StepResult } from "../../engine/runtime/types";
import { TableRunStore } from "../../engine/lifecycle/store/table-run-store";
import { openTable } from "../../engine/lifecycle/store/tables";
import { createManualClock } from "../support/manual-clock";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

let azurite: RunningAzurite;
let runs: TableClient;
let steps: TableClient;
let store: TableRunStore;
let other: TableRunStore;
const clock = createManualClock(Date.now());
const LEASE = 60_000;
const SEAL_KEY = async () => "store-test-shared-secret";
let counter = 0;

beforeAll(async () => {
  azurite = await startTestAzurite();
  runs = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "storeruns");
  steps = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "storesteps");
  store = new TableRunStore({ runs, steps, clock, leaseMs: LEASE, owner: "a", sealKey: SEAL_KEY });
  other = new TableRunStore({ runs, steps, clock, leaseMs: LEASE, owner: "b", sealKey: SEAL_KEY });
});

afterAll(async () => {
  await azurite?.close();
});

function identity() {
  counter++;
  return { runId: counter.toString(16).padStart(32, "0"), ticketId: String(counter), intentName: "Add User to Group" };
}

const step = (id: string, status: StepResult["status"]): StepResult => ({ id, kind: "graph:request", status, attempts: 1, durationMs: 1 });
const result = (status: RunResult["status"], steps: StepResult[] = []): RunResult => ({ status, message: `run ${status}`, steps });

describe("TableRunStore", () => {
  it("lets exactly one of many concurrent claims win", async () => {
    const id = identity();
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 2 ? store : other).claim(id)));
    expect(outcomes.filter((o) => o.kind === "claimed")).toHaveLength(1);
  });

  it("returns a finished run to later claims, without its caller-bound outputs", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.finish({ ...result("succeeded", [step("add", "changed")]), outputs: { temporaryPassword: "Sup3r-S3cret" } });
    const again = await other.claim(id);
    expect(again.kind).toBe("existing");
    if (again.kind !== "existing") return;
    expect(again.record.status).toBe("succeeded");
    expect(again.record.result?.steps).toEqual([step("add", "changed")]);
    expect(JSON.stringify(again.record)).not.toContain("Sup3r-S3cret");
  });

  it("keeps a live lease and lets an expired one be taken over, once", async () => {
    const id = identity();
    const first = await store.claim(id);
    if (first.kind !== "claimed") throw new Error("expected a claim");
    clock.advance(LEASE / 2);
    await first.lease.renew();
    clock.advance(LEASE / 2 + 1);
    expect((await other.claim(id)).kind).toBe("existing"); // renewed: still held
    clock.advance(LEASE);
    const takeovers = await Promise.all([other.claim(id), other.claim(id), other.claim(id)]);
    const won = takeovers.filter((o) => o.kind === "claimed");
    expect(won).toHaveLength(1);
    expect(won[0]?.kind === "claimed" && won[0].takenOver && won[0].lease.record.attempts).toBe(2);
    // Only the claim that made the run may skip reading its checkpoints: a takeover has some to restore.
    expect(first.lease.fresh).toBe(true);
    expect(won[0]?.kind === "claimed" && won[0].lease.fresh).toBe(false);
    // The stalled first owner learns it lost the run instead of overwriting the new owner's record.
    await first.lease.finish(result("failed"));
    expect(first.lease.lost).toBe(true);
    expect((await store.get(id.runId))?.status).toBe("running");
  });

  it("retries a failed run on redelivery, keeping completed checkpoints and dropping failed ones", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    const journal = store.journal(id.runId);
    await journal.save("one", { result: step("one", "changed"), outputs: { id: "u1" } });
    await journal.save("two", { result: step("two", "failed"), outputs: {} });
    await claim.lease.finish(result("failed", [step("one", "changed"), step("two", "failed")]));
    const retry = await other.claim(id);
    expect(retry.kind).toBe("claimed");
    if (retry.kind !== "claimed") return;
    expect(retry.lease.record.attempts).toBe(2);
    expect(retry.lease.record.result).toBeUndefined();
    expect(retry.lease.fresh).toBe(false);
    expect(Object.keys(await other.journal(id.runId).load())).toEqual(["one"]);
  });

  it("retries a failure only for a delivery that arrived after it was recorded", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    const arrivedDuringRun = clock.now();
    await claim.lease.finish(result("failed"));
    // Arrived while the run was still going: that execution's failure is its answer.
    expect(await other.claim({ ...id, receivedAt: arrivedDuringRun })).toMatchObject({ kind: "existing", record: { status: "failed", attempts: 1 } });
    clock.advance(1);
    expect(await other.claim({ ...id, receivedAt: clock.now() })).toMatchObject({ kind: "claimed", takenOver: true });
  });

  it("a retry that loses the conditional write answers with the winner's run, even once that failed again", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.finish(result("failed"));
    // Between this contender's read and its write, another delivery retries the run and fails again.
    let interleave: (() => Promise<void>) | undefined = async () => {
      const retry = await other.claim(id);
      if (retry.kind !== "claimed") throw new Error("expected the other delivery to retry");
      await retry.lease.finish(result("failed"));
    };
    const racingRuns = new Proxy(runs, {
      get(target, property) {
        if (property === "updateEntity") {
          return async (...args: Parameters<TableClient["updateEntity"]>) => {
            const hook = interleave;
            interleave = undefined;
            await hook?.();
            return target.updateEntity(...args);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const racing = new TableRunStore({ runs: racingRuns, steps, clock, leaseMs: LEASE, owner: "c", sealKey: SEAL_KEY });
    expect(await racing.claim(id)).toMatchObject({ kind: "existing", record: { status: "failed", attempts: 2 } });
    expect((await store.get(id.runId))?.attempts).toBe(2);
  });

  it("reserves a suspended run for its continuation, then marks it done", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.suspend({ ...result("running"), resumeAfterMs: 5_000 });
    expect((await other.claim(id)).kind).toBe("existing");
    const resumed = await other.resume(id.runId);
    expect(resumed?.kind).toBe("claimed");
    if (resumed?.kind !== "claimed") return;
    expect((await store.resume(id.runId))?.kind).toBe("busy");
    await resumed.lease.finish(result("partial"));
    expect((await store.resume(id.runId))?.kind).toBe("done");
    expect(await store.resume("f".repeat(32))).toBeUndefined();
  });

  it("stores checkpoints per run under any step id", async () => {
    const journal = store.journal(identity().runId);
    await journal.save("odd/step#id?", { result: step("odd/step#id?", "ok"), outputs: { n: 1 }, state: { job: "j1" } });
    expect(await journal.load()).toEqual({ "odd/step#id?": { result: step("odd/step#id?", "ok"), outputs: { n: 1 }, state: { job: "j1" } } });
    expect(await store.journal(identity().runId).load()).toEqual({});
  });

  it("keeps a result larger than a Table property, summarising its largest values whole and never cutting one", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    const long = "G".repeat(16_000);
    const failing: StepResult = { ...step("lookup", "failed"), error: { code: "GROUP_NOT_FOUND", message: `No group is named ${long}.` } };
    const big: RunResult = {
      status: "failed", message: `${long} could not be found`, error: { code: "GROUP_NOT_FOUND", message: `No group is named ${long}.` },
      steps: [{ ...step("read", "ok"), outputs: { groups: Array.from({ length: 500 }, (_, i) => ({ id: `g${i}`, displayName: `Group ${i}` })) } }, failing],
    };
    await claim.lease.finish(big);
    const record = await other.get(id.runId);
    expect(record?.status).toBe("failed");
    expect(record?.result?.steps.map((s) => [s.id, s.status])).toEqual([["read", "ok"], ["lookup", "failed"]]);
    expect(record?.result?.error?.code).toBe("GROUP_NOT_FOUND");
    const kept = JSON.stringify(record?.result);
    expect(kept.length).toBeLessThanOrEqual(32_000);
    expect(kept).toContain("not kept in the run record");
    // Every string is either whole or replaced: no value ends part-way through the long name.
    for (const match of kept.matchAll(/G{10,}/g)) expect(match[0]).toHaveLength(16_000);
  });

  it("keeps checkpoint outputs of any size exactly, over parts and overflow rows", async () => {
    const journal = store.journal(identity().runId);
    const groups = Array.from({ length: 3_000 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, displayName: `Group ${i} ☃ 𝄞`, mailEnabled: i % 2 === 0 }));
    const checkpoint = { result: { ...step("lookup", "ok"), outputs: { groups } }, outputs: { groups } };
    expect(JSON.stringify(checkpoint).length).toBeGreaterThan(14 * 32_000);
    await journal.save("lookup", checkpoint);
    const loaded = await journal.load();
    expect(loaded.lookup?.outputs).toEqual({ groups });
    expect(loaded.lookup?.result.status).toBe("ok");
    expect(JSON.stringify(loaded.lookup?.result).length).toBeLessThanOrEqual(30_000);
    // Saved again smaller, the step reads back the new checkpoint, not leftovers of the old one.
    await journal.save("lookup", { result: step("lookup", "ok"), outputs: { groups: [] } });
    expect((await journal.load()).lookup?.outputs).toEqual({ groups: [] });
  });

  it("retries a partial run on redelivery like a failed one, keeping its completed steps", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    const journal = store.journal(id.runId);
    await journal.save("create", { result: step("create", "changed"), outputs: { userId: "u1" } });
    await journal.save("license", { result: step("license", "failed"), outputs: {} });
    await claim.lease.finish(result("partial", [step("create", "changed"), step("license", "failed")]));
    clock.advance(1);
    const retry = await other.claim({ ...id, receivedAt: clock.now() });
    expect(retry).toMatchObject({ kind: "claimed", takenOver: true });
    expect(Object.keys(await other.journal(id.runId).load())).toEqual(["create"]);
  });

  it("seals a checkpoint's secrets in the table, opens them for the run, and cannot open them under another shared secret", async () => {
    const runId = identity().runId;
    const secret = "Gen3rated-Passw0rd!";
    await store.journal(runId).save("password", { result: step("password", "ok"), outputs: {}, secrets: { value: secret } });
    const rows = [];
    for await (const row of steps.listEntities({ queryOptions: { filter: `PartitionKey eq '${runId}'` } })) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).toContain("sealed");
    expect((await other.journal(runId).load()).password?.secrets).toEqual({ value: secret });
    const rotated = new TableRunStore({ runs, steps, clock, leaseMs: LEASE, owner: "d", sealKey: async () => "a-rotated-shared-secret" });
    // Not restorable: the step runs again rather than restore a credential it cannot read.
    expect(await rotated.journal(runId).load()).toEqual({});
    await store.journal(runId).save("password", { result: step("password", "ok"), outputs: {} });
    expect((await other.journal(runId).load()).password?.secrets).toBeUndefined();
  });

  it("keeps the run's input sealed from its claim until it ends: a takeover's delivery replaces it, and one too large for the row is not kept", async () => {
    const input = (value: string) => ({ intentName: "Add User to Group", fields: { "User Email": value }, secretValues: ["S3cret-Field"], run: { runId: "x", ticketId: "1", intentName: "Add User to Group", contactName: "", contactEmail: "", companyName: "" } });
    const id = identity();
    const claim = await store.claim({ ...id, input: input("first@contoso.com") });
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    const row = await runs.getEntity<Record<string, unknown>>(id.runId, "run");
    expect(JSON.stringify(row)).not.toContain("first@contoso.com");
    expect(JSON.stringify(row)).not.toContain("S3cret-Field");
    expect(await other.keptInput(id.runId)).toEqual({ ...input("first@contoso.com"), run: { ...input("").run, startedAt: claim.lease.record.createdAt } });
    // The holder stops; a redelivery after its lease takes the run over with its own request.
    clock.advance(LEASE + 1);
    const taken = await other.claim({ ...id, input: input("second@contoso.com") });
    expect(taken.kind).toBe("claimed");
    expect((await store.keptInput(id.runId))?.fields).toEqual({ "User Email": "second@contoso.com" });
    if (taken.kind !== "claimed") return;
    await taken.lease.finish(result("succeeded"));
    expect(await store.keptInput(id.runId)).toBeUndefined();
    expect(Object.keys(await runs.getEntity<Record<string, unknown>>(id.runId, "run")).filter((k) => k.startsWith("input"))).toEqual([]);
    // Past what a row holds beside the result (twelve 32,000-character parts): not kept, and the claim still succeeds.
    const huge = identity();
    const big = await store.claim({ ...huge, input: input("x".repeat(400_000)) });
    expect(big.kind).toBe("claimed");
    expect(await store.keptInput(huge.runId)).toBeUndefined();
  });
});
