/**
 * Every intent's own cases (intents/cases/*.cases.yaml) against the sandbox, one vitest test per
 * case, then one scan of everything the runs left behind for the passwords they actually sent.
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles, type CaseTrace } from "../../engine/cases";
import { loadCatalog } from "../../engine/index";

const catalog = loadCatalog();
const selected = selectCaseFiles(catalog);
const traces: CaseTrace[] = [];

describe.each(selected.map((s) => [s.intent.name, s] as const))("%s", (_name, { intent, cases }) => {
  it.each(cases.cases.map((c) => [c.name, c] as const))("%s", async (_caseName, c) => {
    const { outcome, trace } = await runCase(intent, c);
    traces.push(trace);
    expect(outcome.problems).toEqual([]);
    // A throttled case must have waited out Graph's Retry-After (on the injected clock) before resending.
    for (const fault of c.faults ?? []) {
      if (fault.kind === "throttle") expect(Math.max(0, ...trace.sleeps)).toBeGreaterThanOrEqual((fault.retryAfter ?? 10) * 1000);
    }
  });
});

describe("secrets across every case", () => {
  it("every intent has cases", () => {
    expect(selected.map((s) => s.intent.name).sort()).toEqual(catalog.supportedNames());
  });

  it("no generated or given password appears in any event, run record or request log entry; each generated one of a successful run was delivered", () => {
    const passwords = traces.flatMap((t) => t.sentPasswords);
    expect(passwords.length).toBeGreaterThan(2);
    expect(traces.filter((t) => t.events.length > 0).length).toBeGreaterThan(traces.length / 2);
    for (const trace of traces) {
      // The delivered mail in the tenant is the one place a password belongs (checked below); the
      // request log, sendMail bodies included, is scanned like everything else.
      const record = JSON.stringify({ result: { ...trace.result, outputs: { ...trace.result?.outputs, credential: undefined } }, events: trace.events, requests: trace.requests });
      for (const password of trace.sentPasswords) expect(record).not.toContain(password);
      // A run that succeeded with a generated password must have handed it to someone.
      const generated = trace.result?.status === "succeeded" && trace.result.steps.some((s) => s.id === "password" && s.status === "ok");
      for (const password of generated ? trace.sentPasswords : []) {
        const delivered = JSON.stringify(trace.tenant?.sentMail ?? []).includes(password) || trace.result?.outputs?.credential === password;
        expect(delivered).toBe(true);
      }
    }
  });
});
