/** `snapshot:` and `undo:` in the intent language: what each may read, where a mistake is reported, what compiles. */
import { describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const HEAD = `apiVersion: intents/v1
kind: Intent
name: Leaver
description: test
risk: destructive
permissions: { graph: [User.ReadWrite.All, GroupMember.ReadWrite.All] }
fields:
  userEmail: { label: User Email, type: string, required: true }
  password: { label: Password, type: string, secret: true }
`;

const SNAPSHOT = `snapshot:
  - id: before
    kind: graph:request
    with: { method: GET, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" }, query: { $select: "id,accountEnabled" } }
    outputs:
      userId: "{{response.body.id}}"
      enabled: "{{response.body.accountEnabled}}"
`;

const STEPS = `steps:
  - id: disable
    kind: graph:request
    with: { method: PATCH, path: "/users/{id}", params: { id: "{{snapshot.before.userId}}" }, body: { accountEnabled: false } }
`;

const UNDO = `undo:
  irreversible:
    - when: "{{original.steps.disable.changed}}"
      message: "Sessions of {{fields.userEmail}} stay signed out."
  steps:
    - id: now
      kind: graph:request
      with: { method: GET, path: "/users/{id}", params: { id: "{{snapshot.before.userId}}" }, query: { $select: "accountEnabled" } }
      outputs: { enabled: "{{response.body.accountEnabled}}" }
    - id: enable
      kind: graph:request
      when: "{{original.steps.disable.status == 'changed' and snapshot.before.enabled and not steps.now.output.enabled}}"
      with: { method: PATCH, path: "/users/{id}", params: { id: "{{snapshot.before.userId}}" }, body: { accountEnabled: true } }
  changedSince:
    - when: "{{original.steps.disable.changed and steps.now.output.enabled}}"
      message: "{{fields.userEmail}} was enabled again since."
`;

const RESULT = `result:
  messages: { succeeded: "done {{snapshot.before.userId}}", failed: "no" }
`;

function lint(text: string) {
  return loadIntentText("leaver.yaml", text, { kinds: builtinKindSpecs() });
}

function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((line) => line.includes(needle)) + 1;
}

describe("snapshot and undo in the intent language", () => {
  it("compiles the snapshot as the plan's first reads and the undo as an intent of its own with its notices", () => {
    const { intent, diagnostics } = lint(HEAD + SNAPSHOT + STEPS + UNDO + RESULT);
    expect(diagnostics).toEqual([]);
    expect(intent?.plan.snapshot.map((s) => s.id)).toEqual(["before"]);
    expect(intent?.plan.steps.map((s) => s.id)).toEqual(["disable"]);
    expect(intent?.undo?.intent.name).toBe("Undo Leaver");
    expect(intent?.undo?.intent.plan.steps.map((s) => s.id)).toEqual(["now", "enable"]);
    expect(intent?.undo?.intent.plan.messages.succeeded?.render({})).toBe("The earlier change was undone.");
    expect(intent?.undo?.irreversible).toHaveLength(1);
    expect(intent?.undo?.changedSince).toHaveLength(1);
  });

  it("refuses a snapshot step that writes, reads another step or a secret, or records a secret", () => {
    const text = HEAD + `snapshot:
  - id: before
    kind: graph:request
    with: { method: PATCH, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" }, body: { passwordProfile: { password: "{{fields.password}}" } } }
  - id: other
    kind: graph:request
    with: { method: GET, path: "/users/{upn}", params: { upn: "{{snapshot.before.x}}" } }
    outputs:
      token: { value: "{{response.body.id}}", secret: true }
` + STEPS.replace("{{snapshot.before.userId}}", "{{fields.userEmail}}") + RESULT.replace("{{snapshot.before.userId}}", "");
    const codes = lint(text).diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(codes).toContain(`SPEC_SNAPSHOT_WRITE@${lineOf(text, "kind: graph:request")}`);
    expect(codes).toContain(`SPEC_SECRET_NOT_ALLOWED@${lineOf(text, "passwordProfile")}`);
    expect(codes).toContain(`SPEC_UNKNOWN_REFERENCE@${lineOf(text, "snapshot.before.x")}`);
    expect(codes).toContain(`SPEC_SECRET_NOT_ALLOWED@${lineOf(text, "token:")}`);
  });

  it("locates mistakes in the undo where they are written: unknown snapshot outputs, original steps, secret fields, forward references", () => {
    const text = HEAD + SNAPSHOT + STEPS + `undo:
  irreversible:
    - message: "{{steps.enable.status}}"
  steps:
    - id: enable
      kind: graph:request
      when: "{{original.steps.nope.changed}}"
      with: { method: PATCH, path: "/users/{id}", params: { id: "{{snapshot.before.userIdd}}" }, body: { accountEnabled: true, x: "{{fields.password}}" } }
  changedSince:
    - forEach: "{{snapshot.before.enabled}}"
      as: group
      message: "{{group.id}} {{original.status}} {{original.runId}} {{original.steps.disable.outcome}}"
` + RESULT;
    const found = lint(text).diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(found).toEqual(expect.arrayContaining([
      `SPEC_FORWARD_REFERENCE@${lineOf(text, "{{steps.enable.status}}")}`,
      `SPEC_UNKNOWN_REFERENCE@${lineOf(text, "original.steps.nope")}`,
      `SPEC_UNKNOWN_REFERENCE@${lineOf(text, "snapshot.before.userIdd")}`,
      `SPEC_SECRET_NOT_ALLOWED@${lineOf(text, "fields.password")}`,
      `SPEC_UNKNOWN_REFERENCE@${lineOf(text, "original.steps.disable.outcome")}`,
    ]));
    expect(found.filter((f) => f.startsWith("SPEC_UNKNOWN_REFERENCE@" + lineOf(text, "{{group.id}}")))).toHaveLength(1);
  });

  it("keeps snapshot and step ids one namespace and reads no snapshot where none is declared", () => {
    const clash = HEAD + SNAPSHOT.replace("id: before", "id: disable").replace("userId:", "userId:") + STEPS.replace("{{snapshot.before.userId}}", "{{fields.userEmail}}") + RESULT.replace("{{snapshot.before.userId}}", "");
    expect(lint(clash).diagnostics.map((d) => d.code)).toContain("SPEC_DUPLICATE_STEP_ID");
    const none = HEAD + STEPS + RESULT;
    expect(lint(none).diagnostics.map((d) => d.message).join("\n")).toMatch(/unknown root "snapshot"|declares no snapshot/);
  });
});
