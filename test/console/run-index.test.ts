/**
 * The run index written with the run record (Azurite): a claim indexes the run under every
 * dimension it has, each status change moves it between status partitions, a reopen for a retry
 * moves it back; an index that cannot be written never fails the run. The kept request of a run
 * is ciphertext at rest and refused, with the reason, after the shared secret changed.
 */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withEvents } from "../../engine/core/current-events";
import { listRuns } from "../../engine/lifecycle/runs/run-query";
import { TableKeptRequests } from "../../engine/lifecycle/store/kept-requests";
import { partitionKey, TableRunIndex, type RunIndexWriter } from "../../engine/lifecycle/store/run-index";
import type { RunEntity } from "../../engine/lifecycle/store/run-records";
import { TableRunStore } from "../../engine/lifecycle/store/table-run-store";
import { openTable, tableClient } from "../../engine/lifecycle/store/tables";
import type { RunInput } from "../../engine/lifecycle/execute/run-input";
import { createManualClock } from "../support/manual-clock";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

let azurite: RunningAzurite;
let index: TableClient;
let store: TableRunStore;
let kept: TableClient;
const clock = createManualClock(Date.parse("2026-11-30T10:00:00Z"));
let counter = 0;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const storage = { kind: "connection-string" as const, connectionString: azurite.connectionString };
  const [runs, steps] = await Promise.all([openTable(storage, "idxruns"), openTable(storage, "idxsteps")]);
  index = await openTable(storage, "idxindex");
  kept = await openTable(storage, "idxkept");
  store = new TableRunStore({ runs, steps, clock, leaseMs: 60_000, index: new TableRunIndex(index), sealKey: async () => "run-index-test-secret" });
});

afterAll(async () => {
  await azurite?.close();
});

function identity() {
  counter++;
  return {
    runId: counter.toString(16).padStart(32, "a"), ticketId: String(7000 + counter), intentName: "Password Reset",
    requester: "megan.bowen@contoso.com", requesterName: "Megan Bowen", target: `user${counter}@contoso.com`,
  };
}

async function partitionsOf(runId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entity of index.listEntities<{ runId: string }>()) if (entity.runId === runId) found.push(entity.partitionKey ?? "");
  return found.sort();
}

/** An index whose claim write (status running) holds until the test opens it; it notes when each write starts and ends. */
class GatedIndex implements RunIndexWriter {
  readonly calls: string[] = [];
  open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  async record(entity: RunEntity): Promise<void> {
    this.calls.push(`start ${entity.status}`);
    if (entity.status === "running") await this.gate;
    this.calls.push(`end ${entity.status}`);
  }
}

describe("the run index, written with the run record", () => {
  it("indexes a claimed run under all, status, intent, ticket, requester and target, and moves it as its status changes", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.indexed;
    expect(await partitionsOf(id.runId)).toEqual([
      "a", partitionKey("target", id.target), partitionKey("intent", "Password Reset"), partitionKey("requester", id.requester),
      partitionKey("status", "running"), partitionKey("ticket", id.ticketId),
    ].sort());
    clock.advance(1_500);
    await claim.lease.finish({ status: "failed", message: "no", steps: [], error: { code: "GRAPH_ERROR", message: "boom" } });
    const parts = await partitionsOf(id.runId);
    expect(parts).toContain(partitionKey("status", "failed"));
    expect(parts).not.toContain(partitionKey("status", "running"));
    const [summary] = (await listRuns(index, { ticket: id.ticketId }, 10)).runs;
    expect(summary).toMatchObject({ runId: id.runId, status: "failed", requester: id.requester, requesterName: "Megan Bowen", target: id.target, durationMs: 1_500, errorCode: "GRAPH_ERROR" });
    expect((await store.get(id.runId))?.target).toBe(id.target);

    const reopened = await store.reopen(id.runId, (status) => status === "failed");
    expect(reopened?.kind).toBe("reopened");
    expect((await listRuns(index, { status: "running", ticket: id.ticketId }, 10)).runs.map((run) => run.runId)).toEqual([id.runId]);
    expect((await listRuns(index, { status: "failed", ticket: id.ticketId }, 10)).runs).toEqual([]);
  });

  it("refuses to reopen a run whose status the caller does not accept, and restores a reopened one", async () => {
    const id = identity();
    const claim = await store.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.finish({ status: "succeeded", message: "done", steps: [] });
    expect((await store.reopen(id.runId, (status) => status === "failed"))?.kind).toBe("refused");
    const failed = identity();
    const second = await store.claim(failed);
    if (second.kind !== "claimed") throw new Error("expected a claim");
    await second.lease.finish({ status: "partial", message: "half", steps: [] });
    const reopened = await store.reopen(failed.runId, (status) => status === "partial");
    if (reopened?.kind !== "reopened") throw new Error("expected a reopen");
    await reopened.restore();
    expect((await store.get(failed.runId))?.status).toBe("partial");
    expect((await listRuns(index, { ticket: failed.ticketId }, 10)).runs[0]?.status).toBe("partial");
  });

  it("returns a claim while its entities are written, and indexes the run's next status only after them", async () => {
    const gated = new GatedIndex();
    const storage = { kind: "connection-string" as const, connectionString: azurite.connectionString };
    const slow = new TableRunStore({
      runs: tableClient(storage, "idxruns"), steps: tableClient(storage, "idxsteps"), clock, leaseMs: 60_000, sealKey: async () => "run-index-test-secret", index: gated,
    });
    const id = identity();
    const claim = await slow.claim(id);
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    expect(gated.calls).toEqual(["start running"]);
    let indexed = false;
    void claim.lease.indexed?.then(() => (indexed = true));
    const finishing = claim.lease.finish({ status: "succeeded", message: "done", steps: [] });
    // The run row, the truth, takes its end at once; its index waits for the claim's entities.
    for (let reads = 0; reads < 100 && (await slow.get(id.runId))?.status !== "succeeded"; reads++);
    expect((await slow.get(id.runId))?.status).toBe("succeeded");
    expect(gated.calls).toEqual(["start running"]);
    expect(indexed).toBe(false);
    gated.open();
    expect(await finishing).toMatchObject({ status: "succeeded" });
    expect(indexed).toBe(true);
    expect(gated.calls).toEqual(["start running", "end running", "start succeeded", "end succeeded"]);
  });

  it("lets the run go on when its index cannot be written, and says so", async () => {
    const storage = { kind: "connection-string" as const, connectionString: azurite.connectionString };
    const broken = new TableRunStore({
      runs: await openTable(storage, "idxruns"), steps: await openTable(storage, "idxsteps"), clock, leaseMs: 60_000, sealKey: async () => "run-index-test-secret",
      index: new TableRunIndex(tableClient(storage, "idxnosuchtable")),
    });
    const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
    const id = identity();
    const claim = await withEvents((event, fields) => events.push({ event, fields }), () => broken.claim(id));
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await claim.lease.indexed;
    expect(events).toEqual([{ event: "run_index_failed", fields: { runId: id.runId, status: "running", storageStatus: 404 } }]);
  });
});

describe("kept requests", () => {
  const payload: RunInput = {
    intentName: "Password Reset", fields: { userEmail: "a@contoso.com", newPassword: "Sup3r-Secret-Value" }, secretValues: ["Sup3r-Secret-Value"],
    run: { runId: "b".repeat(32), ticketId: "1", intentName: "Password Reset", contactName: "A", contactEmail: "a@contoso.com", companyName: "C" },
  };

  it("keeps the run's input as ciphertext, reads it back whole, forgets it", async () => {
    const requests = new TableKeptRequests(kept, async () => "shared-secret-one-1234");
    await requests.keep("b".repeat(32), payload);
    const row = await kept.getEntity("b".repeat(32), "webhook");
    expect(JSON.stringify(row)).not.toContain("Sup3r-Secret-Value");
    expect(JSON.stringify(row)).not.toContain("a@contoso.com");
    expect(await requests.read("b".repeat(32))).toEqual(payload);
    await requests.forget("b".repeat(32));
    expect(await requests.read("b".repeat(32))).toBeUndefined();
    await requests.forget("b".repeat(32)); // forgetting twice is fine
  });

  it("refuses a copy sealed under a shared secret that has since changed, with the reason", async () => {
    await new TableKeptRequests(kept, async () => "shared-secret-one-1234").keep("c".repeat(32), payload);
    await expect(new TableKeptRequests(kept, async () => "rotated-secret-5678").read("c".repeat(32)))
      .rejects.toMatchObject({ code: "RUN_NOT_RETRYABLE", fix: expect.stringContaining("shared secret changed") });
  });
});
