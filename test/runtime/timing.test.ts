/**
 * The interpreter's side of scheduling: a start date not reached answers `scheduled` before any
 * step; a step's `after` is fixed in the journal when the run first reaches it, so waking early
 * waits again for the same time and waking late does not wait twice; a dry run says when each step
 * would run, on the tenant's wall clock.
 */
import { describe, expect, it } from "vitest";
import { execute, loadIntentText, type CompiledIntent, type StepCheckpoint, type StepKind } from "../../engine/index";
import type { RunJournal } from "../../engine/runtime/types";
import { StepKindRegistry } from "../../engine/core/step-kind-registry";
import { runContext, specsWith } from "./services";

const DAY = 86_400_000;
let sent: string[] = [];
const writeKind: StepKind<{ what: string }> = {
  id: "test:write",
  description: "records a write",
  inputSchema: { type: "object", properties: { what: { type: "string" } } },
  isReadOnly: () => false,
  describe: (input) => input,
  classify: () => ({ success: true }),
  async run(input) {
    sent.push(input.what);
    return { response: { ok: true }, attempts: 1 };
  },
};

function compile(body: string, fields = "  lastDay: { label: Last Day, type: date }\n  doDelete: { label: Delete, type: boolean, default: true }"): CompiledIntent {
  const text = `apiVersion: intents/v1
kind: Intent
name: Timed
description: test
risk: destructive
permissions: {}
fields:
${fields}
${body}
result:
  messages:
    succeeded: done
    failed: "failed: {{error.message}}"
    scheduled: "next: {{schedule.step}} on {{schedule.when}} ({{schedule.at}})"
`;
  const loaded = loadIntentText("timed.yaml", text, { kinds: specsWith(writeKind) });
  if (!loaded.intent) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.intent;
}

function memoryJournal(): RunJournal & { rows: Record<string, StepCheckpoint> } {
  const rows: Record<string, StepCheckpoint> = {};
  return { rows, load: async () => ({ ...rows }), save: async (id, checkpoint) => void (rows[id] = structuredClone(checkpoint)) };
}

function services(now: () => number, zone = "Europe/London") {
  return { kinds: new StepKindRegistry([writeKind]), clock: { now, sleep: async () => undefined }, settings: { TENANT_TIME_ZONE: zone }, events: () => undefined };
}

const OFFBOARD = `schedule: { at: "{{fields.lastDay}}", defaultTime: "17:00" }
steps:
  - { id: disable, kind: "test:write", with: { what: disable } }
  - { id: remove, kind: "test:write", after: P30D, when: "{{fields.doDelete}}", with: { what: delete } }`;

describe("a scheduled start", () => {
  it("answers scheduled before any step while the date is ahead, in the tenant's zone and words", async () => {
    sent = [];
    const now = Date.parse("2026-10-20T09:00:00Z");
    const result = await execute(compile(OFFBOARD), { fields: { lastDay: "2026-11-06", doDelete: true }, run: runContext(), services: services(() => now) });
    expect(sent).toEqual([]);
    expect(result).toMatchObject({
      status: "scheduled",
      steps: [],
      // 17:00 in London on 6 November is GMT, although the request came in during summer time.
      schedule: { step: "disable", at: "2026-11-06T17:00:00+00:00" },
      message: "next: disable on Friday 6 November at 17:00 (2026-11-06T17:00:00+00:00)",
    });
  });

  it("runs at once when the date has come, or when the field is empty", async () => {
    for (const lastDay of ["2026-11-06", null]) {
      sent = [];
      const journal = memoryJournal();
      const now = Date.parse("2026-11-06T17:00:00Z");
      const result = await execute(compile(OFFBOARD), { fields: { lastDay, doDelete: true }, run: runContext(), services: services(() => now), journal });
      expect(sent).toEqual(["disable"]);
      expect(result.status).toBe("scheduled");
      expect(result.schedule).toEqual({ step: "remove", at: "2026-12-06T17:00:00+00:00" });
    }
  });
});

describe("a step's after", () => {
  it("fixes the due time when the run first reaches the step: early wakes wait for it, the step runs once it has come", async () => {
    sent = [];
    const journal = memoryJournal();
    let now = Date.parse("2026-10-20T16:00:00Z"); // 17:00 BST
    const run = (fields = { lastDay: null, doDelete: true }) => execute(compile(OFFBOARD), { fields, run: runContext(), services: services(() => now), journal });
    const first = await run();
    expect(first.schedule).toEqual({ step: "remove", at: "2026-11-19T17:00:00+00:00" }); // 30 days on the wall clock: 17:00 GMT
    expect(journal.rows["wait:remove"]?.state).toEqual({ due: Date.parse("2026-11-19T17:00:00Z") });
    now += 29 * DAY;
    const early = await run();
    expect(early).toMatchObject({ status: "scheduled", schedule: { step: "remove", at: "2026-11-19T17:00:00+00:00" } });
    expect(early.steps.map((s) => [s.id, s.resumed])).toEqual([["disable", true]]);
    now = Date.parse("2026-11-19T16:59:59Z");
    expect((await run()).status).toBe("scheduled");
    now = Date.parse("2026-11-19T17:00:00Z");
    const due = await run();
    expect(due.status).toBe("succeeded");
    expect(sent).toEqual(["disable", "delete"]);
    now += 5 * DAY;
    expect((await run()).status).toBe("succeeded");
    expect(sent).toEqual(["disable", "delete"]);
  });

  it("does not wait for a step whose condition is false", async () => {
    sent = [];
    const now = Date.parse("2026-10-20T16:00:00Z");
    const result = await execute(compile(OFFBOARD), { fields: { lastDay: null, doDelete: false }, run: runContext(), services: services(() => now), journal: memoryJournal() });
    expect(result.status).toBe("succeeded");
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([["disable", "changed"], ["remove", "skipped"]]);
  });
});

describe("a dry run of a timed intent", () => {
  it("says when each step would run, from the start date and each delay on the wall clock", async () => {
    sent = [];
    const now = Date.parse("2026-03-01T09:00:00Z");
    const intent = compile(`schedule: { at: "{{fields.lastDay}}", defaultTime: "17:00" }
steps:
  - { id: disable, kind: "test:write", with: { what: disable } }
  - { id: convert, kind: "test:write", after: PT2H, with: { what: convert } }
  - { id: remove, kind: "test:write", after: P30D, with: { what: delete } }`);
    const result = await execute(intent, { fields: { lastDay: "2026-03-20", doDelete: true }, run: runContext(), services: services(() => now), mode: "dry-run" });
    expect(sent).toEqual([]);
    expect(result.steps.map((s) => [s.id, s.at])).toEqual([
      ["disable", "2026-03-20T17:00:00+00:00"],
      ["convert", "2026-03-20T19:00:00+00:00"],
      // Across the change to summer time on 29 March: still 19:00 on the wall clock.
      ["remove", "2026-04-19T19:00:00+01:00"],
    ]);
  });
});

describe("lint", () => {
  const lint = (text: string) => loadIntentText("bad.yaml", `apiVersion: intents/v1
kind: Intent
name: Bad
description: test
risk: reversible
permissions: {}
${text}`, { kinds: specsWith(writeKind) }).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);

  it("needs schedule.at to be one date or datetime field, defaultTime to apply, and after to be more than zero", () => {
    expect(lint(`fields:
  when: { label: When, type: string }
  at: { label: At, type: datetime }
schedule: { at: "{{fields.when}}" }
steps:
  - { id: a, kind: "test:write", after: P0D, with: { what: a } }
result: { messages: { succeeded: ok, failed: no } }`)).toEqual([
      '10:17 SPEC_SCHEDULE schedule.at must name a date or datetime field; "when" is string',
      "12:41 SPEC_SCHEDULE after must be longer than zero (leave it out to run the step at once)",
    ]);
    expect(lint(`fields:
  at: { label: At, type: datetime }
schedule: { at: "{{fields.at}}", defaultTime: "17:00" }
steps:
  - { id: a, kind: "test:write", with: { what: a } }
result: { messages: { succeeded: ok, failed: no } }`)).toEqual([
      '9:47 SPEC_SCHEDULE defaultTime applies to a date field; "at" is a datetime and always has its own time',
    ]);
    expect(lint(`fields:
  at: { label: At, type: date }
schedule: { at: "{{fields.gone}}" }
steps:
  - { id: a, kind: "test:write", with: { what: a } }
result: { messages: { succeeded: ok, failed: no } }`)).toEqual(['9:17 SPEC_SCHEDULE schedule.at names no field "gone"; declared: at']);
    expect(lint(`fields:
  at: { label: At, type: date }
steps:
  - { id: a, kind: "test:write", after: 30 days, with: { what: a } }
result: { messages: { succeeded: ok, failed: no } }`).map((line) => line.split(" ")[1])).toEqual(["SPEC_SCHEMA"]);
  });

  it("lets only the scheduled message read schedule", () => {
    expect(lint(`fields:
  at: { label: At, type: date }
steps:
  - { id: a, kind: "test:write", with: { what: "{{schedule.when}}" } }
result: { messages: { succeeded: "{{schedule.when}}", failed: no, scheduled: "on {{schedule.when}} at {{schedule.at}} then {{schedule.step}}" } }`)).toEqual([
      '10:51 SPEC_UNKNOWN_REFERENCE "schedule.when": schedule is only readable in result.messages.scheduled',
      '11:37 SPEC_UNKNOWN_REFERENCE "schedule.when": schedule is only readable in result.messages.scheduled',
    ]);
  });
});
