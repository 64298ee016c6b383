/** The notes' words: what was done and not done, the fix, the run id, the reference line; no secret. */
import { describe, expect, it } from "vitest";
import { customerNote, internalNote, noteMarker, REPORT_STATES, type StateReport } from "../../../engine/lifecycle/report";

const SECRET = "Hunter2-Hunter2-Hunter2";
const RUN = { runId: "0123456789abcdef0123456789abcdef", ticketId: "4711", intentName: "User Offboarding", contactName: "Adele Vance", contactEmail: "adele@contoso.com", companyName: "Contoso" };

const partial: StateReport = {
  state: "partial", accepted: false, secretValues: [SECRET], run: RUN,
  message: "Most of the offboarding is done; the helpdesk will finish the rest.",
  steps: [
    { id: "disable", kind: "graph:request", status: "changed", attempts: 1, durationMs: 1 },
    { id: "revoke", kind: "graph:request", status: "ok", attempts: 1, durationMs: 1 },
    { id: "groups", kind: "graph:batch", status: "failed", attempts: 1, durationMs: 1, items: [
      { id: "g1", status: "changed", attempts: 1, durationMs: 1 }, { id: "g2", status: "failed", attempts: 1, durationMs: 1 },
    ], error: { code: "GRAPH_ERROR", message: `Group refused the change for ${SECRET}`, fix: "Remove the user from the dynamic group's rule." } },
    { id: "convert", kind: "automation:runbook", status: "skipped", attempts: 0, durationMs: 0 },
  ],
};

describe("internal note", () => {
  it("says in plain words what was done and not done, the fix and the run id", () => {
    const note = internalNote(partial);
    expect(note.title).toBe("User Offboarding: partly completed");
    expect(note.visibility).toBe("internal");
    expect(note.text).toContain("What was done:\n- disable: done\n- revoke: done, nothing needed changing");
    expect(note.text).toContain("What was not done:\n- groups: failed: Group refused the change for *** (GRAPH_ERROR); 1 of 2 items done, 1 failed\n- convert: not done (skipped)");
    expect(note.text).toContain("Suggested fix: Remove the user from the dynamic group's rule.");
    expect(note.text).toContain('The requester was told: "Most of the offboarding is done; the helpdesk will finish the rest."');
    expect(note.text.endsWith(noteMarker(RUN.runId, "partial", "internal"))).toBe(true);
    expect(note.text).toContain(RUN.runId);
    expect(note.text).not.toContain(SECRET);
    expect(note.text).not.toContain("adele@contoso.com");
  });

  it("has words for every state, with or without steps", () => {
    for (const state of REPORT_STATES) {
      const note = internalNote({ ...partial, state, steps: [], detail: "Approval asked of grace.taylor@contoso.com." });
      expect(note.title.startsWith("User Offboarding: ")).toBe(true);
      expect(note.text).toContain(`run ${RUN.runId}/${state}/internal`);
    }
    expect(internalNote({ ...partial, state: "denied", steps: [] }).title).toBe("User Offboarding: refused");
  });

  it("keeps a runaway message to one short line", () => {
    const note = internalNote({ ...partial, message: "x".repeat(5000) });
    expect(note.text.length).toBeLessThan(2000);
  });
});

describe("customer note", () => {
  it("holds the end-user sentence and the reference line only", () => {
    const note = customerNote(partial);
    expect(note.visibility).toBe("customer");
    expect(note.text).toBe(`Most of the offboarding is done; the helpdesk will finish the rest.\n\n${noteMarker(RUN.runId, "partial", "customer")}`);
  });

  it("masks a secret even in the end-user sentence", () => {
    expect(customerNote({ ...partial, message: `Your password is ${SECRET}` }).text).not.toContain(SECRET);
  });
});

describe("reference line", () => {
  it("holds nothing ConnectWise's like-condition would read as syntax", () => {
    for (const state of REPORT_STATES) expect(noteMarker(RUN.runId, state, "customer")).toMatch(/^[A-Za-z0-9 :/_.-]+$/);
  });
});
