/** The approval record on Azurite: round trip (long plan and input split over properties), one decision wins a race, lists by state. */
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableApprovalStore } from "../../engine/lifecycle/approval/store";
import type { ApprovalRecord } from "../../engine/lifecycle/approval/types";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

let azurite: RunningAzurite;
let store: TableApprovalStore;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const table = TableClient.fromConnectionString(azurite.connectionString, "approvalsstoretest", { allowInsecureConnection: true });
  await table.createTable();
  store = new TableApprovalStore(table);
});
afterAll(async () => {
  await azurite?.close();
});

let next = 0;
function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  next++;
  return {
    approvalId: next.toString(16).padStart(32, "0"),
    runId: "a".repeat(32),
    state: "pending",
    intentName: "Password Reset",
    ticketId: "4711",
    requester: { name: "Ben Walters", email: "ben.walters@contoso.com", id: "79872e11-b8f9-5815-b293-940378b17b00" },
    target: "miriam.graham@contoso.com",
    plan: { changes: [{ stepId: "reset", summary: "Update user miriam.graham@contoso.com", fields: [{ name: "accountEnabled", before: "true", after: "false" }], items: [] }], unplanned: [], fingerprint: "f".repeat(64) },
    approvers: [{ key: "0123456789abcdef", address: "isaiah.langer@contoso.com", name: "Isaiah Langer", id: "7e38e304-a3c5-5d9f-be88-4c49e2c3277e", reason: "miriam.graham@contoso.com's manager" }],
    requestedAt: new Date(Date.UTC(2026, 11, 2, 9, next)).toISOString(),
    expiresAt: Date.UTC(2026, 11, 3, 9, 0),
    sealedInput: "c2VhbGVk",
    ...overrides,
  };
}

describe("approval records on Azure Tables", () => {
  it("come back as written, with a plan and a sealed input far longer than one property holds, in any script", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `Gruppe Ü${i} 日本`);
    const long = record({ plan: { changes: [{ stepId: "leave", summary: "Remove X from 3000 groups", fields: [], items }], unplanned: ["later"], fingerprint: "0".repeat(64) }, sealedInput: "x".repeat(150_000) });
    const created = await store.create(long);
    expect(created.etag).toBeTruthy();
    const { etag: _etag, ...read } = (await store.get(long.approvalId))!;
    expect(read).toEqual(long);
    expect(await store.get("f".repeat(32))).toBeUndefined();
  });

  it("records one of two racing decisions: the second writer learns it lost", async () => {
    const created = await store.create(record());
    const decision = (by: string) => ({ state: "approved" as const, decision: { state: "approved" as const, by: { address: by, name: by }, at: "2026-12-02T10:00:00.000Z", via: "link" as const } });
    const [first, second] = await Promise.all([store.update(created, decision("a@contoso.com")), store.update(created, decision("b@contoso.com"))]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const stored = await store.get(created.approvalId);
    expect(stored?.decision?.by.address).toBe((first ?? second)!.decision!.by.address);
    expect(await store.update(created, { state: "denied" })).toBeUndefined();
  });

  it("lists by state, oldest request first", async () => {
    const a = await store.create(record({ state: "expired" }));
    const b = await store.create(record({ state: "expired" }));
    const listed = await store.list("expired");
    expect(listed.map((r) => r.approvalId)).toEqual([a.approvalId, b.approvalId]);
    expect((await store.list("pending")).every((r) => r.state === "pending")).toBe(true);
  });
});
