import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent, type StepCheckpoint, type StepKind } from "../../engine/index";
import { graphError, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, specsWith, testServices as servicesOver } from "./services";

// A kind that stays pending for `polls` calls, like a runbook job still running.
let calls: Array<{ state: unknown }> = [];
const pendingKind: StepKind<{ polls: number }> = {
  id: "test:pending",
  description: "pending for a number of polls",
  inputSchema: { type: "object", properties: { polls: { type: "integer" } } },
  isReadOnly: () => false,
  describe: (input) => input,
  classify: () => ({ success: true }),
  async run(input, ctx) {
    calls.push({ state: ctx.state });
    const polled = typeof ctx.state === "number" ? ctx.state : 0;
    if (polled < input.polls) return { response: null, attempts: 1, pending: { resumeAfterMs: 5000, state: polled + 1 } };
    return { response: { done: true }, attempts: 1, outputs: {} };
  },
};
const testServices = (graph: Parameters<typeof servicesOver>[0]) => servicesOver(graph, {}, [pendingKind]);

function compile(steps: string): CompiledIntent {
  const text = `apiVersion: intents/v1
kind: Intent
name: Test
description: test
risk: reversible
permissions: { graph: [User.ReadWrite.All, GroupMember.ReadWrite.All] }
fields:
  names: { label: Names, type: array }
  who: { label: Who, type: string }
steps:
${steps}
result:
  messages:
    succeeded: done
    partial: "partly: {{error.message}}"
    failed: "failed: {{error.message}}"
`;
  const loaded = loadIntentText("test.yaml", text, { kinds: specsWith(pendingKind) });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

let graph: LoopbackGraph;
beforeEach(async () => {
  graph = await startLoopbackGraph();
  calls = [];
});
afterEach(() => graph.close());

describe("interpreter", () => {
  it("sends a for-each through $batch and classifies each item", async () => {
    graph.route("DELETE", "/groups/:g/members/$ref", (req) => (req.segments[1] === "bad" ? graphError(403, "Authorization_RequestDenied", "no") : { status: 204 }));
    const intent = compile(`  - id: remove
    kind: graph:request
    forEach: "{{fields.names}}"
    as: group
    continueOnError: true
    with: { method: DELETE, path: "/groups/{g}/members/$ref", params: { g: "{{group}}" } }`);
    const result = await execute(intent, { fields: { names: ["a", "bad", "c"], who: null }, run: runContext(), services: testServices(graph.client()) });
    expect(graph.received.every((r) => r.viaBatch)).toBe(true);
    expect(result.steps[0]?.items?.map((i) => i.status)).toEqual(["changed", "failed", "changed"]);
    expect(result.status).toBe("partial");
    expect(result.message).toBe("partly: Microsoft Graph answered 403 (Authorization_RequestDenied: no).");
  });

  it("skips a step whose when is false and reads its outputs as null", async () => {
    graph.route("GET", "/users/:id", { status: 200, body: { id: "x" } });
    const intent = compile(`  - id: first
    kind: graph:request
    when: "{{fields.who}}"
    with: { method: GET, path: "/users/{id}", params: { id: "{{fields.who}}" } }
    outputs: { id: "{{response.body.id}}" }
  - id: second
    kind: graph:request
    when: "{{eq steps.first.output.id null}}"
    with: { method: GET, path: "/users/{id}", params: { id: "fallback" } }`);
    const result = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services: testServices(graph.client()) });
    expect(result.steps.map((s) => s.status)).toEqual(["skipped", "ok"]);
    expect(graph.received.map((r) => r.segments[1])).toEqual(["fallback"]);
  });

  it("stops at a failed step unless it continues on error; nothing changed = failed", async () => {
    graph.route("GET", "/users/:id", graphError(500, "UnknownError", "boom"));
    const intent = compile(`  - id: a
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "x" } }
  - id: b
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "y" } }`);
    const result = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services: testServices(graph.client()) });
    expect(result.status).toBe("failed");
    expect(result.steps.map((s) => s.id)).toEqual(["a"]);
  });

  it("refuses a dot segment in a path parameter before sending", async () => {
    const intent = compile(`  - id: a
    kind: graph:request
    with: { method: DELETE, path: "/users/{id}", params: { id: "{{fields.who}}" } }`);
    const result = await execute(intent, { fields: { names: null, who: ".." }, run: runContext(), services: testServices(graph.client()) });
    expect(result.error?.code).toBe("STEP_INPUT_INVALID");
    expect(graph.received).toEqual([]);
  });

  it("waits on the clock while a kind is pending and no deadline stops it", async () => {
    const intent = compile(`  - id: job
    kind: test:pending
    with: { polls: 2 }`);
    const services = testServices(graph.client());
    const result = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services });
    expect(result.status).toBe("succeeded");
    expect(services.sleeps).toEqual([5000, 5000]);
    expect(calls.map((c) => c.state)).toEqual([undefined, 1, 2]);
  });

  it("suspends as running past the deadline, saves the kind's state, and resumes from the journal", async () => {
    graph.route("GET", "/users/:id", { status: 200, body: { id: "x" } });
    const intent = compile(`  - id: read
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "me" } }
    outputs: { id: "{{response.body.id}}" }
  - id: job
    kind: test:pending
    with: { polls: 1 }`);
    const saved: Record<string, StepCheckpoint> = {};
    const journal = { load: async () => ({ ...saved }), save: async (id: string, c: StepCheckpoint) => void (saved[id] = c) };
    const services = testServices(graph.client());
    const first = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services, journal, deadline: services.clock.now() + 1000 });
    expect(first).toMatchObject({ status: "running", resumeAfterMs: 5000 });
    expect(saved.job?.state).toBe(1);
    expect(saved.read?.outputs).toEqual({ id: "x" });

    const second = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services, journal });
    expect(second.status).toBe("succeeded");
    expect(second.steps[0]).toMatchObject({ id: "read", resumed: true });
    expect(graph.received).toHaveLength(1); // the read was not sent again
    expect(calls.map((c) => c.state)).toEqual([undefined, 1]);
  });

  it("a failed step restored from the journal still stops the run, and nothing is re-sent", async () => {
    const intent = compile(`  - id: a
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "x" } }
  - id: b
    kind: graph:request
    with: { method: GET, path: "/users/{id}", params: { id: "y" } }`);
    const failed = { id: "a", kind: "graph:request", status: "failed" as const, attempts: 1, durationMs: 3, error: { code: "GRAPH_ERROR", message: "boom" } };
    const journal = { load: async () => ({ a: { result: failed, outputs: {} } }), save: async () => undefined };
    const result = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services: testServices(graph.client()), journal });
    expect(result).toMatchObject({ status: "failed", error: { code: "GRAPH_ERROR" }, steps: [{ id: "a", resumed: true }] });
    expect(graph.received).toEqual([]);
  });

  it("suspends between steps once the deadline has passed", async () => {
    const intent = compile(`  - id: job
    kind: test:pending
    with: { polls: 0 }`);
    const services = testServices(graph.client());
    const result = await execute(intent, { fields: { names: null, who: null }, run: runContext(), services, deadline: services.clock.now() - 1 });
    expect(result).toMatchObject({ status: "running", resumeAfterMs: 0, steps: [] });
    expect(calls).toEqual([]);
  });

  it("fails with CONFIG_MISSING when a declared setting is absent in a live run", async () => {
    const loaded = loadIntentText("s.yaml", `apiVersion: intents/v1
kind: Intent
name: S
description: s
risk: read
permissions: { graph: [] }
settings: [NOT_SET]
fields: {}
steps:
  - { id: a, kind: "secret:generate" }
result: { messages: { succeeded: "{{settings.NOT_SET}}", failed: f } }
`, { kinds: specsWith(pendingKind) });
    const result = await execute(loaded.intent!, { fields: {}, run: runContext(), services: testServices(graph.client()) });
    expect(result.error?.code).toBe("CONFIG_MISSING");
    // The one sentence of a run that ended before its intent could word it (the runner's and a continuation's too).
    expect(result.message).toBe("Your request could not be completed; the helpdesk has the details.");
  });
});
