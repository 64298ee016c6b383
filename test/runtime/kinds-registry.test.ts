/**
 * The step kinds are an instance per engine, not a module-level list: a registry refuses a second
 * kind of one id, tests build their own with fakes, each kind classifies its own answers and names
 * its own error, and a step whose kind this engine does not hold fails cleanly.
 */
import { describe, expect, it } from "vitest";
import type { GraphClient } from "../../engine/clients/graph/types";
import { StepKindRegistry } from "../../engine/core/step-kind-registry";
import { builtinKinds, builtinKindSpecs, execute, loadIntentText, type CompiledIntent, type StepKind } from "../../engine/index";
import { automationRunbookSpec } from "../../engine/kinds/automation/runbook";
import { graphRequestSpec } from "../../engine/kinds/graph/request";
import { runContext, specsWith, testServices } from "./services";

const refusing: StepKind = {
  id: "test:refuse",
  description: "answers with a failure it does not describe",
  inputSchema: { type: "object" },
  isReadOnly: () => false,
  describe: (input) => input,
  classify: () => ({ success: false }),
  run: async () => ({ response: { refused: true }, attempts: 1 }),
};

function compile(kind: string): CompiledIntent {
  const loaded = loadIntentText("k.yaml", `apiVersion: intents/v1
kind: Intent
name: K
description: k
risk: reversible
permissions: { graph: [] }
fields: {}
steps:
  - id: only
    kind: ${kind}
    with: {}
result:
  messages: { succeeded: done, failed: "failed: {{error.code}}" }
`, { kinds: specsWith(refusing) });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

const noGraph = {} as GraphClient;

describe("StepKindRegistry", () => {
  it("refuses a second kind with the same id", () => {
    const registry = new StepKindRegistry([refusing]);
    expect(() => registry.register({ ...refusing })).toThrow(expect.objectContaining({ code: "INTERNAL", message: "Step kind test:refuse is registered twice." }));
    expect(registry.ids()).toEqual(["test:refuse"]);
  });

  it("is an instance: a fake added to one engine's kinds is in no other", () => {
    const mine = new StepKindRegistry(builtinKindSpecs().list()).register(refusing);
    expect(mine.find("test:refuse")).toBe(refusing);
    expect(builtinKindSpecs().find("test:refuse")).toBeUndefined();
    expect(builtinKinds({ graph: noGraph, automation: {} as never }).ids()).toEqual(builtinKindSpecs().ids());
  });

  it("lets a kind's own classification decide, with STEP_FAILED when the kind names no error", async () => {
    const result = await execute(compile("test:refuse"), { fields: {}, run: runContext(), services: testServices(noGraph, {}, [refusing]) });
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { code: "STEP_FAILED", message: "The step failed." } });
    expect(result.message).toBe("failed: STEP_FAILED");
  });

  it("fails a step whose kind this engine does not hold, without running anything", async () => {
    const result = await execute(compile("test:refuse"), { fields: {}, run: runContext(), services: testServices(noGraph) });
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { code: "INTERNAL", message: "Step kind test:refuse is not registered with this engine." } });
  });

  it("gives Graph's error to Graph kinds and no HTTP status to a runbook", () => {
    expect(graphRequestSpec.classify({ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "no" } } })).toEqual({
      success: false, status: 403, code: "Authorization_RequestDenied", message: "no",
      error: { code: "GRAPH_ERROR", message: "Microsoft Graph answered 403 (Authorization_RequestDenied: no)." },
    });
    expect(automationRunbookSpec.classify({ jobName: "j", jobStatus: "Completed", status: "changed", reason: "done" })).toEqual({ success: true, message: "done", outcome: "changed" });
    expect(automationRunbookSpec.classify({ jobName: "j", jobStatus: "Completed", status: "failed", reason: "no mailbox" })).toMatchObject({
      success: false, error: { code: "RUNBOOK_FAILED", message: "Runbook job j failed: no mailbox" },
    });
  });
});
