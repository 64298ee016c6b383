/** The interpreter's snapshot phase: reads first, recorded before any write, restored (never read again) on resume. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent, type StepCheckpoint } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import type { SnapshotValues } from "../../engine/runtime/types";
import { graphError, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "../runtime/services";

const INTENT = `apiVersion: intents/v1
kind: Intent
name: Leaver
description: test
risk: destructive
permissions: { graph: [User.ReadWrite.All] }
fields:
  userEmail: { label: User Email, type: string, required: true }
  note: { label: Note, type: string, secret: true }
snapshot:
  - id: before
    kind: graph:request
    with: { method: GET, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" }, query: { $select: "id,accountEnabled" } }
    outputs:
      userId: "{{response.body.id}}"
      enabled: "{{response.body.accountEnabled}}"
    outcomes:
      - when: "{{response.status == 404}}"
        result: failed
        error: { code: USER_NOT_FOUND, message: "No user {{fields.userEmail}}." }
steps:
  - id: disable
    kind: graph:request
    when: "{{snapshot.before.enabled}}"
    with: { method: PATCH, path: "/users/{id}", params: { id: "{{snapshot.before.userId}}" }, body: { accountEnabled: false } }
undo:
  steps:
    - id: enable
      kind: graph:request
      with: { method: PATCH, path: "/users/{id}", params: { id: "{{snapshot.before.userId}}" }, body: { accountEnabled: true } }
result:
  messages: { succeeded: "{{snapshot.before.userId}} is off", failed: "no: {{error.message}}" }
`;

let graph: LoopbackGraph;
let intent: CompiledIntent;
let order: string[];

beforeEach(async () => {
  graph = await startLoopbackGraph();
  order = [];
  graph.route("GET", "/users/:id", (req) => {
    order.push("read");
    return req.path.includes("ghost") ? graphError(404, "Request_ResourceNotFound", "gone") : { status: 200, body: { id: "u-1", accountEnabled: true } };
  });
  graph.route("PATCH", "/users/:id", () => {
    order.push("write");
    return { status: 204 };
  });
  const loaded = loadIntentText("leaver.yaml", INTENT, { kinds: builtinKindSpecs() });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  intent = loaded.intent;
});
afterEach(() => graph.close());

function recorder(fail = false) {
  const recorded: SnapshotValues[] = [];
  return { recorded, record: async (values: SnapshotValues) => { order.push("record"); if (fail) throw new Error("storage down"); recorded.push(values); } };
}

const fields = { userEmail: "adele@contoso.com", note: "a-secret-note-value" };

describe("the snapshot phase", () => {
  it("reads, records, then writes; steps and messages read the snapshot", async () => {
    const snapshots = recorder();
    const result = await execute(intent, { fields, run: runContext(), services: testServices(graph.client()), snapshots });
    expect(order).toEqual(["read", "record", "write"]);
    expect(snapshots.recorded).toEqual([{ before: { userId: "u-1", enabled: true } }]);
    expect(result.status).toBe("succeeded");
    expect(result.message).toBe("u-1 is off");
    expect(result.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["before:ok", "disable:changed"]);
  });

  it("changes nothing when the snapshot cannot be recorded, and says so with a retryable code", async () => {
    const result = await execute(intent, { fields, run: runContext(), services: testServices(graph.client()), snapshots: recorder(true) });
    expect(order).toEqual(["read", "record"]);
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "SNAPSHOT_NOT_RECORDED", retryable: true });
  });

  it("changes nothing when a snapshot read fails, and records nothing", async () => {
    const snapshots = recorder();
    const result = await execute(intent, { fields: { userEmail: "ghost@contoso.com" }, run: runContext(), services: testServices(graph.client()), snapshots });
    expect(order).toEqual(["read"]);
    expect(result.error?.code).toBe("USER_NOT_FOUND");
    expect(snapshots.recorded).toEqual([]);
  });

  it("restores the snapshot from the journal on resume instead of reading what the run already changed", async () => {
    const saved: Record<string, StepCheckpoint> = {};
    const journal = { load: async () => ({ ...saved }), save: async (id: string, checkpoint: StepCheckpoint) => void (saved[id] = checkpoint) };
    await execute(intent, { fields, run: runContext(), services: testServices(graph.client()), journal, snapshots: recorder() });
    delete saved.disable;
    order = [];
    const again = recorder();
    const resumed = await execute(intent, { fields, run: runContext(), services: testServices(graph.client()), journal, snapshots: again });
    expect(order).toEqual(["record", "write"]);
    expect(again.recorded).toEqual([{ before: { userId: "u-1", enabled: true } }]);
    expect(resumed.steps[0]).toMatchObject({ id: "before", resumed: true });
  });

  it("records nothing in a dry run, which still reads", async () => {
    const snapshots = recorder();
    const result = await execute(intent, { fields, run: runContext(), services: testServices(graph.client()), snapshots, mode: "dry-run" });
    expect(order).toEqual(["read"]);
    expect(snapshots.recorded).toEqual([]);
    expect(result.steps.find((s) => s.id === "disable")?.planned).toMatchObject({ method: "PATCH", path: "/users/u-1" });
  });

  it("runs an undo over the snapshot and original it is given", async () => {
    const undo = intent.undo!.intent;
    const context = { snapshot: { before: { userId: "u-9", enabled: true } }, original: { runId: "r", status: "succeeded", steps: { disable: { status: "changed", changed: true } } } };
    const result = await execute(undo, { fields, run: runContext(), services: testServices(graph.client()), undo: context });
    expect(result.status).toBe("succeeded");
    expect(graph.received.filter((r) => r.method === "PATCH").map((r) => [r.path, r.body])).toContainEqual(["/users/u-9", { accountEnabled: true }]);
  });
});
