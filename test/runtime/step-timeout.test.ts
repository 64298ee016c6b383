/** Step timeouts: the interpreter races a kind against `timeoutMs` and aborts the kind's signal on expiry. */
import { describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent, type StepKind } from "../../engine/index";
import type { GraphClient } from "../../engine/clients/graph/types";
import { runContext, specsWith, testServices } from "./services";

const signals: AbortSignal[] = [];
// Never answers: only the interpreter's timeout can end it.
const hangKind: StepKind = {
  id: "test:hang",
  description: "never answers",
  inputSchema: { type: "object" },
  isReadOnly: () => false,
  describe: (input) => input,
  classify: () => ({ success: true }),
  run(_input, ctx) {
    signals.push(ctx.signal);
    return new Promise(() => undefined);
  },
};
// Answers after a tick, within any timeout.
const quickKind: StepKind = {
  id: "test:quick",
  description: "answers at once",
  inputSchema: { type: "object" },
  isReadOnly: () => false,
  describe: (input) => input,
  classify: () => ({ success: true }),
  async run(_input, ctx) {
    signals.push(ctx.signal);
    await new Promise((resolve) => setImmediate(resolve));
    return { response: { done: true }, attempts: 1 };
  },
};

const noGraph = {} as GraphClient;

function compile(steps: string): CompiledIntent {
  const text = `apiVersion: intents/v1
kind: Intent
name: Timeouts
description: test
risk: reversible
permissions: { graph: [] }
fields:
  items: { label: Items, type: array }
steps:
${steps}
result:
  messages: { succeeded: done, partial: partly, failed: "failed: {{error.message}}" }
`;
  const loaded = loadIntentText("timeouts.yaml", text, { kinds: specsWith(hangKind, quickKind) });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

async function run(intent: CompiledIntent) {
  signals.length = 0;
  const started = Date.now();
  const result = await execute(intent, { fields: { items: ["a", "b"] }, run: runContext(), services: testServices(noGraph, {}, [hangKind, quickKind]) });
  return { result, elapsed: Date.now() - started };
}

describe("step timeouts", () => {
  it("fails a step that never answers with a retryable STEP_TIMEOUT and aborts its signal", async () => {
    const { result, elapsed } = await run(compile(`  - id: stuck
    kind: test:hang
    timeoutMs: 20
    with: {}
  - id: after
    kind: test:quick
    with: {}`));
    expect(result.status).toBe("failed");
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({ id: "stuck", status: "failed", error: { code: "STEP_TIMEOUT", retryable: true, message: 'Step "stuck" did not finish within 20 ms.' } });
    expect(signals[0]?.aborted).toBe(true);
    expect(elapsed).toBeLessThan(2000);
  });

  it("lets a continueOnError step time out and the run go on", async () => {
    const { result } = await run(compile(`  - id: stuck
    kind: test:hang
    timeoutMs: 20
    continueOnError: true
    with: {}
  - id: after
    kind: test:quick
    timeoutMs: 60000
    with: {}`));
    expect(result.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["stuck:failed", "after:changed"]);
    expect(result.status).toBe("partial");
    expect(signals[1]?.aborted).toBe(false);
  });

  it("bounds a whole for-each step by its timeout", async () => {
    const { result } = await run(compile(`  - id: each
    kind: test:hang
    forEach: "{{fields.items}}"
    timeoutMs: 20
    with: {}`));
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { code: "STEP_TIMEOUT", retryable: true } });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it("gives a step without timeoutMs a signal that never aborts", async () => {
    const { result } = await run(compile(`  - id: quick
    kind: test:quick
    with: {}`));
    expect(result.status).toBe("succeeded");
    expect(signals[0]?.aborted).toBe(false);
  });
});
