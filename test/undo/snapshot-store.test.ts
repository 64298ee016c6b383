/** The snapshot store against Azurite: rows within the limits, long lists in the companion table, links, retention. */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTable } from "../../engine/lifecycle/store/tables";
import { INLINE_LIST_CHARS, TableSnapshotStore } from "../../engine/lifecycle/undo/snapshot-store";
import type { RunSnapshot } from "../../engine/lifecycle/undo/types";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

let azurite: RunningAzurite;
let rows: TableClient;
let items: TableClient;
let store: TableSnapshotStore;
let counter = 0;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const storage = { kind: "connection-string" as const, connectionString: azurite.connectionString };
  rows = await openTable(storage, "snapshotrows");
  items = await openTable(storage, "snapshotitems");
  store = new TableSnapshotStore(rows, items);
});

afterAll(async () => {
  await azurite?.close();
});

function snapshot(values: RunSnapshot["values"], expiresAt = "2099-01-01T00:00:00.000Z"): RunSnapshot {
  counter++;
  return {
    runId: counter.toString(16).padStart(32, "0"), intentName: "User Offboarding", target: "adele.vance@contoso.com",
    takenAt: "2026-12-01T10:00:00.000Z", expiresAt, fields: { userEmail: "adele.vance@contoso.com", removeGroups: true }, values,
  };
}

async function count(table: TableClient, runId: string): Promise<number> {
  let n = 0;
  for await (const _ of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${runId}'` } })) n++;
  return n;
}

describe("TableSnapshotStore", () => {
  it("reads back what it saved: fields, values of every type, text in any script", async () => {
    const taken = snapshot({ before: { userId: "u-1", enabled: true, skuIds: ["a", "b"], manager: null, name: "Zoë 山田 🙂", count: 3 } });
    await store.save(taken);
    expect(await store.read(taken.runId)).toEqual(taken);
    expect(await count(items, taken.runId)).toBe(0);
  });

  it("keeps a long list in the companion table in rows of whole items, and reads it back in order", async () => {
    const groups = Array.from({ length: 1500 }, (_, i) => ({ id: `group-${i}`, displayName: `Gruppe Überall ${i} ${"x".repeat(40)}`, groupTypes: i % 2 ? ["Unified"] : [] }));
    const taken = snapshot({ before: { graphGroups: groups, userId: "u-2" } });
    await store.save(taken);
    const row = await rows.getEntity<Record<string, unknown>>(taken.runId, "snapshot");
    expect(JSON.stringify(row).length).toBeLessThan(INLINE_LIST_CHARS + 2_000);
    expect(await count(items, taken.runId)).toBeGreaterThan(3);
    const read = await store.read(taken.runId);
    expect(read?.values.before?.graphGroups).toEqual(groups);
  });

  it("refuses a list whose companion rows are incomplete rather than read part of it", async () => {
    const taken = snapshot({ before: { graphGroups: Array.from({ length: 800 }, (_, i) => ({ id: `g-${i}`, name: "y".repeat(60) })) } });
    await store.save(taken);
    const first = items.listEntities<{ rowKey: string }>({ queryOptions: { filter: `PartitionKey eq '${taken.runId}'` } });
    for await (const row of first) {
      await items.deleteEntity(taken.runId, row.rowKey);
      break;
    }
    await expect(store.read(taken.runId)).rejects.toMatchObject({ code: "STORE_ERROR" });
  });

  it("answers undefined for a run without a snapshot, and lists the undo runs linked to a run", async () => {
    const taken = snapshot({});
    expect(await store.read(taken.runId)).toBeUndefined();
    await store.save(taken);
    await store.linkUndo(taken.runId, "f".repeat(32), "2026-12-02T00:00:00.000Z");
    await store.linkUndo(taken.runId, "e".repeat(32), "2026-12-03T00:00:00.000Z");
    expect((await store.undoRuns(taken.runId)).sort()).toEqual(["e".repeat(32), "f".repeat(32)]);
    expect(await store.read(taken.runId)).toEqual(taken);
  });

  it("purges snapshots past their retention with their companion rows and links, and keeps the others", async () => {
    const old = snapshot({ before: { graphGroups: Array.from({ length: 600 }, (_, i) => ({ id: `old-${i}`, pad: "z".repeat(50) })) } }, "2026-01-01T00:00:00.000Z");
    const kept = snapshot({ before: { userId: "kept" } }, "2027-06-01T00:00:00.000Z");
    await store.save(old);
    await store.save(kept);
    await store.linkUndo(old.runId, "d".repeat(32), "2026-01-02T00:00:00.000Z");
    const purged = await store.purgeExpired("2026-06-01T00:00:00.000Z");
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await store.read(old.runId)).toBeUndefined();
    expect(await count(items, old.runId)).toBe(0);
    expect(await count(rows, old.runId)).toBe(0);
    expect(await store.read(kept.runId)).toEqual(kept);
  });
});
