/**
 * Every intent's own cases (intents/cases/*.cases.yaml) against the sandbox, one vitest test per
 * case, then one scan of everything the runs left behind for the passwords they actually sent and
 * every secret they knew (secret fields and secret step outputs).
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles, type CaseTrace } from "../../engine/tooling/cases";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const catalog = loadCatalog(builtinKindSpecs());
const selected = selectCaseFiles(catalog);
const traces: CaseTrace[] = [];
/** Secret values each case gave in its fields, to tell them from the secrets the run produced. */
const givenSecrets = new Map<CaseTrace, string[]>();

describe.each(selected.map((s) => [s.intent.name, s] as const))("%s", (_name, { intent, cases }) => {
  it.each(cases.cases.map((c) => [c.name, c] as const))("%s", async (_caseName, c) => {
    const { outcome, trace } = await runCase(intent, c);
    traces.push(trace);
    givenSecrets.set(trace, Object.values(c.fields).map(String));
    expect(outcome.problems).toEqual([]);
    // A throttled case must have waited out Graph's Retry-After (on the injected clock) before resending.
    for (const fault of c.faults ?? []) {
      if (fault.kind === "throttle") expect(Math.max(0, ...trace.sleeps)).toBeGreaterThanOrEqual((fault.retryAfter ?? 10) * 1000);
    }
  });
});

function delivered(trace: CaseTrace, secret: string): boolean {
  return JSON.stringify(trace.tenant?.sentMail ?? []).includes(secret) || trace.result?.outputs?.credential === secret;
}

/**
 * A new account's first password that nobody is meant to know: Graph needs one to create the
 * account, and the run delivered a Temporary Access Pass (a secret Graph returned) instead.
 */
function throwawayPassword(trace: CaseTrace, password: string): boolean {
  const passes = trace.secrets.filter((secret) => !trace.sentPasswords.includes(secret) && !(givenSecrets.get(trace) ?? []).includes(secret));
  return trace.sentPasswords.includes(password) && passes.some((pass) => delivered(trace, pass));
}

describe("secrets across every case", () => {
  it("every intent has cases", () => {
    expect(selected.map((s) => s.intent.name).sort()).toEqual(catalog.supportedNames());
  });

  it("no secret the run produced (a pass Graph returned included) appears in any event, run record or request log entry; each one of a successful run was delivered", () => {
    const produced = (trace: CaseTrace) => trace.secrets.filter((secret) => !(givenSecrets.get(trace) ?? []).includes(secret));
    // Secrets that came back from Graph rather than being sent to it (a Temporary Access Pass) are covered.
    expect(traces.some((t) => produced(t).some((secret) => !t.sentPasswords.includes(secret)))).toBe(true);
    for (const trace of traces) {
      const logged = trace.requests.map((r) => (r.path.endsWith("/sendMail") ? { ...r, body: "<delivery mail>" } : r));
      const record = JSON.stringify({ result: { ...trace.result, outputs: { ...trace.result?.outputs, credential: undefined } }, events: trace.events, logged });
      for (const secret of trace.secrets) expect(record).not.toContain(secret);
      for (const secret of trace.result?.status === "succeeded" ? produced(trace) : []) {
        expect(delivered(trace, secret) || throwawayPassword(trace, secret)).toBe(true);
      }
    }
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
        expect(delivered(trace, password) || throwawayPassword(trace, password)).toBe(true);
      }
    }
  });
});
