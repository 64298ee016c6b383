/**
 * A run that waits between steps after one of them failed says so in its scheduled message (it
 * reads `error`), instead of sounding done until the wait is over.
 */
import { describe, expect, it } from "vitest";
import { execute, loadIntentText, type StepKind } from "../../engine/index";
import { StepKindRegistry } from "../../engine/core/step-kind-registry";
import { runContext, specsWith } from "./services";

const kind = (id: string, success: boolean): StepKind<Record<string, never>> => ({
  id,
  description: id,
  inputSchema: { type: "object" },
  isReadOnly: () => false,
  describe: () => ({}),
  classify: () => (success ? { success: true } : { success: false, error: { code: "TEST_REFUSED", message: "the test refused it" } }),
  run: async () => ({ response: {}, attempts: 1 }),
});
const works = kind("test:works", true);
const fails = kind("test:fails", false);

function intent(withError: boolean) {
  const loaded = loadIntentText(
    "waits.yaml",
    `apiVersion: intents/v1
kind: Intent
name: Waits
description: test
risk: destructive
permissions: {}
fields: {}
steps:
  - { id: first, kind: "test:works" }
  - { id: second, kind: "${withError ? "test:fails" : "test:works"}", continueOnError: true }
  - { id: later, kind: "test:works", after: P30D }
result:
  messages:
    succeeded: done
    failed: "failed: {{error.message}}"
    scheduled: "{{#if error}}part failed ({{error.code}}: {{error.message}}); {{/if}}the rest on {{schedule.when}}"
`,
    { kinds: specsWith(works, fails) },
  );
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

const now = Date.parse("2026-01-05T09:00:00Z");
const services = { kinds: new StepKindRegistry([works, fails]), clock: { now: () => now, sleep: async () => undefined }, settings: {}, events: () => undefined };

describe("the scheduled message of a run waiting between steps", () => {
  it("reads the first failed step's error", async () => {
    const result = await execute(intent(true), { fields: {}, run: runContext(), services });
    expect(result).toMatchObject({ status: "scheduled", message: "part failed (TEST_REFUSED: the test refused it); the rest on Wednesday 4 February at 09:00" });
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([["first", "changed"], ["second", "failed"]]);
  });

  it("reads error as null when nothing failed", async () => {
    const result = await execute(intent(false), { fields: {}, run: runContext(), services });
    expect(result).toMatchObject({ status: "scheduled", message: "the rest on Wednesday 4 February at 09:00" });
  });
});
