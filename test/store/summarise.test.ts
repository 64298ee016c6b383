import { describe, expect, it } from "vitest";
import { boundedJson } from "../../engine/lifecycle/store/summarise";

describe("boundedJson", () => {
  it("leaves a value that fits alone", () => {
    const value = { status: "succeeded", steps: [{ id: "a", status: "ok" }] };
    expect(boundedJson(value, 1_000)).toBe(JSON.stringify(value));
  });

  it("replaces the largest values first, in their own shape, and keeps what identifies each step", () => {
    const value = {
      status: "partial",
      message: "short",
      steps: [
        { id: "list", kind: "graph:request", status: "ok", attempts: 1, durationMs: 3, outputs: { items: Array.from({ length: 200 }, (_, i) => `item-${i}`) } },
        { id: "note", kind: "mail:send", status: "failed", attempts: 2, durationMs: 1, error: { code: "GRAPH_ERROR", message: "m".repeat(500) } },
      ],
    };
    const kept = JSON.parse(boundedJson(value, 1_000));
    expect(kept.steps.map((s: { id: string; status: string; attempts: number }) => [s.id, s.status, s.attempts])).toEqual([["list", "ok", 1], ["note", "failed", 2]]);
    expect(kept.steps[0].outputs).toEqual({ notKept: expect.stringMatching(/^\[not kept in the run record: \d+ characters\]$/) });
    expect(kept.steps[1].error.code).toBe("GRAPH_ERROR");
    expect(kept.message).toBe("short");
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(1_000);
  });

  it("never leaves part of a string behind", () => {
    const secretish = "S3cr3t-".repeat(100);
    const kept = boundedJson({ status: "failed", steps: [], message: secretish }, 200);
    expect(kept).not.toContain("S3cr3t");
  });
});
