/**
 * Password Reset's write and its delivery mail in one Graph `$batch` (engine/runtime/sent-along.ts),
 * over real HTTP against the sandbox tenant: the mail depends on the PATCH, so Graph runs it only
 * once the password is set and answers 424 otherwise. Each test reads the sandbox's request log:
 * which round trip carried what, and what Graph answered each item.
 */
import { afterEach, describe, expect, it } from "vitest";
import { execute, loadCatalog, mapFields, type CompiledIntent, type RunResult, type StepCheckpoint } from "../../engine/index";
import { startSandbox, type FaultRuleInput, type RequestLogEntry, type Sandbox } from "../../sandbox";
import { builtinKindSpecs } from "../../engine/kinds";
import { caseServices, fastClock, type CaseServices, type FastClock } from "../../engine/tooling/cases/services";
import { caseGate } from "../../engine/tooling/cases/policy";
import { judge } from "../../engine/lifecycle/policy/gate";
import { leadingReads } from "../../engine/runtime/leading-reads";
import { createRedactor } from "../../engine/core/redaction";
import { StepKindRegistry } from "../../engine/core/step-kind-registry";
import type { StepKind } from "../../engine/core/step-kind";
import type { RunJournal } from "../../engine/runtime/types";

const intent = loadCatalog(builtinKindSpecs()).find("password reset") as CompiledIntent;
const TARGET = "adele.vance@contoso.com";
const PATCH_PATH = `/v1.0/users/${encodeURIComponent(TARGET)}`;
const MAIL_PATH = "/v1.0/users/reception%40contoso.com/sendMail";

let sandbox: Sandbox | undefined;
let services: CaseServices | undefined;
afterEach(async () => {
  await services?.close();
  await sandbox?.close();
  sandbox = services = undefined;
});

interface Run {
  result: RunResult;
  log: RequestLogEntry[];
  clock: FastClock;
  services: CaseServices;
  sandbox: Sandbox;
}

interface RunOptions {
  faults?: FaultRuleInput[];
  /** Judged by the demo deployment's policy first, as a webhook's run is (default true). */
  policy?: boolean;
  journal?: RunJournal;
  /** A generated password of the test's choosing (one the tenant refuses). */
  password?: string;
  /** The run's budget, in ms from its start. */
  budgetMs?: number;
}

async function start(options: RunOptions): Promise<{ clock: FastClock; sandbox: Sandbox; services: CaseServices }> {
  const clock = fastClock();
  sandbox = await startSandbox({ now: clock.now });
  services = caseServices(sandbox, clock);
  if (options.password !== undefined) {
    const password = options.password;
    const generate = services.kinds.find("secret:generate")!;
    const fixed: StepKind = { ...generate, run: async () => ({ response: { length: password.length }, attempts: 1, outputs: { value: password } }) };
    services.kinds = new StepKindRegistry(services.kinds.list().map((kind) => (kind.id === fixed.id ? fixed : kind)));
  }
  if (options.faults?.length) {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rules: options.faults }) });
    expect(answer.status).toBe(201);
  }
  return { clock, sandbox, services };
}

async function runReset(options: RunOptions = {}, attempt = 1, started?: Awaited<ReturnType<typeof start>>): Promise<Run> {
  const { clock, sandbox: tenant, services: engine } = started ?? (await start(options));
  const mapped = mapFields(intent, { "User Email": TARGET });
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  const run = { runId: "run-sent-along", ticketId: "T-1001", intentName: intent.name, contactName: "Ada Requester", contactEmail: TARGET, companyName: "Contoso Ltd" };
  let prefetched = {};
  if (options.policy !== false) {
    const gate = caseGate(intent, { name: "sent along", fields: {}, expect: {} }, engine.settings, engine.graph);
    const judgement = await judge(gate, intent, mapped.fields, TARGET, leadingReads(intent, mapped.fields, run, engine.settings));
    expect(judgement.decision.decision).toBe("allow");
    if (judgement.prefetched) prefetched = { prefetched: judgement.prefetched };
  }
  const budget = options.budgetMs === undefined ? {} : { deadline: clock.now() + options.budgetMs };
  const result = await execute(intent, { fields: mapped.fields, run, services: engine, redactor: createRedactor(), attempt, ...prefetched, ...budget, ...(options.journal ? { journal: options.journal } : {}) });
  return { result, log: tenant.requests(), clock, services: engine, sandbox: tenant };
}

/** Round trips to Graph, in order: each with the items a `$batch` carried, as `METHOD path → status`. */
function roundTrips(log: RequestLogEntry[]): string[][] {
  const trips = log.filter((entry) => entry.batch === undefined && entry.path.startsWith("/v1.0/"));
  return trips.map((trip) => {
    const items = log.filter((entry) => entry.batch?.sequence === trip.sequence);
    return (items.length > 0 ? items : [trip]).map((entry) => `${entry.method} ${entry.path} → ${entry.status}`);
  });
}

/** The intent's own round trips: after requester policy's reads (all GETs). */
function intentTrips(log: RequestLogEntry[]): string[][] {
  return roundTrips(log).filter((trip) => !trip.every((line) => line.startsWith("GET ")));
}

function stepsOf(result: RunResult): Array<[string, string, number]> {
  return result.steps.map((step) => [step.id, step.status, step.attempts]);
}

const PATCHED = (status: number) => `PATCH ${PATCH_PATH} → ${status}`;
const MAILED = (status: number) => `POST ${MAIL_PATH} → ${status}`;

describe("a write and its delivery in one $batch", () => {
  it("sends the PATCH and the mail depending on it in one $batch: 2 dependent round trips with requester policy", async () => {
    const { result, log, services: engine, sandbox: tenant } = await runReset();

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 1], ["deliver", "changed", 1]]);
    const trips = roundTrips(log);
    expect(trips).toHaveLength(2);
    expect(trips[0]!.every((line) => line.startsWith("GET "))).toBe(true); // requester policy's reads
    expect(trips[1]).toEqual([PATCHED(204), MAILED(202)]);
    // Graph runs the mail only once the PATCH succeeded.
    const envelope = log.find((entry) => entry.batch === undefined && entry.sequence === log.find((e) => e.path === MAIL_PATH)?.batch?.sequence);
    const items = (envelope?.body as { requests: Array<{ method: string; dependsOn?: string[] }> }).requests;
    expect(items.map((item) => [item.method, item.dependsOn])).toEqual([["PATCH", undefined], ["POST", ["1"]]]);
    // The password set is the one delivered, and it is in no record, event or log line.
    const [password] = [...engine.sentPasswords];
    expect(tenant.tenant.sentMail).toHaveLength(1);
    expect(JSON.stringify(tenant.tenant.sentMail[0])).toContain(password);
    expect(JSON.stringify({ result, events: engine.captured, log })).not.toContain(password);
    // The run record says what each step sent, the password masked.
    expect(result.steps.find((step) => step.id === "deliver")?.request).toMatchObject({ method: "POST", path: "/users/reception%40contoso.com/sendMail" });
    expect(JSON.stringify(result.steps.find((step) => step.id === "reset")?.request)).toContain("***");
  });

  it("a PATCH refused for complexity fails the run with PASSWORD_TOO_WEAK; Graph answers the mail 424 and nothing is sent", async () => {
    const { result, log, sandbox: tenant } = await runReset({ password: "weakweakweak" });

    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("PASSWORD_TOO_WEAK");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "failed", 1]]);
    expect(intentTrips(log)).toEqual([[PATCHED(400), MAILED(424)]]);
    expect(tenant.tenant.sentMail).toEqual([]);
  });

  it("a PATCH throttled inside the $batch is resubmitted alone after its Retry-After; the mail (424) then goes on its own, once", async () => {
    const { result, log, clock, sandbox: tenant } = await runReset({ faults: [{ kind: "throttle", method: "PATCH", path: "/v1.0/users/*", times: 1, retryAfter: 12 }] });

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 2], ["deliver", "changed", 1]]);
    expect(intentTrips(log)).toEqual([[PATCHED(429), MAILED(424)], [PATCHED(204)], [MAILED(202)]]);
    const patches = log.filter((entry) => entry.method === "PATCH");
    expect(Date.parse(patches[1]!.time) - Date.parse(patches[0]!.time)).toBeGreaterThanOrEqual(12_000);
    expect(clock.sleeps).toContain(12_000);
    expect(tenant.tenant.sentMail).toHaveLength(1);
  });

  it("a mail throttled inside the $batch is resubmitted after its Retry-After, as any request is; delivered once", async () => {
    const { result, log, sandbox: tenant } = await runReset({ faults: [{ kind: "unavailable", method: "POST", path: "/v1.0/users/*/sendMail", times: 1, retryAfter: 3 }] });

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 1], ["deliver", "changed", 2]]);
    expect(intentTrips(log)).toEqual([[PATCHED(204), MAILED(503)], [MAILED(202)]]);
    expect(tenant.tenant.sentMail).toHaveLength(1);
  });

  it("a run whose budget ran out during the $batch still takes the mail's answer, since taking it sends nothing", async () => {
    // The mail's 503 and its Retry-After of 3 s spend the 1 s budget inside the $batch.
    const { result, log, sandbox: tenant } = await runReset({ budgetMs: 1_000, faults: [{ kind: "unavailable", method: "POST", path: "/v1.0/users/*/sendMail", times: 1, retryAfter: 3 }] });

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 1], ["deliver", "changed", 2]]);
    expect(intentTrips(log)).toEqual([[PATCHED(204), MAILED(503)], [MAILED(202)]]);
    expect(tenant.tenant.sentMail).toHaveLength(1);
  });

  it("a mail that keeps failing waits to be delivered again, as a delivery does; the continuation delivers the password that was set", async () => {
    const saved: Record<string, StepCheckpoint> = {};
    const journal: RunJournal = { load: async () => structuredClone(saved), save: async (id, checkpoint) => void (saved[id] = structuredClone(checkpoint)) };
    const started = await start({ faults: [{ kind: "unavailable", method: "POST", path: "/v1.0/users/*/sendMail" }] });
    const first = await runReset({ journal }, 1, started);

    expect(first.result.status).toBe("running");
    expect(first.result.resumeAfterMs).toBe(60_000);
    // A delivery that waits is recorded in its checkpoint, with what it was told.
    expect(saved.deliver?.result).toMatchObject({ status: "failed", error: { retryable: true } });
    expect(first.services.captured.some((e) => e.event === "delivery.retry")).toBe(true);
    expect(saved.deliver?.retry).toEqual({ failures: 1, since: expect.any(Number) });
    expect(intentTrips(first.log)[0]).toEqual([PATCHED(204), MAILED(503)]);

    await fetch(`${started.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    const resumed = await runReset({ journal, policy: false }, 2, started);
    expect(resumed.result.status).toBe("succeeded");
    expect(resumed.result.steps.map((step) => [step.id, step.status, step.resumed === true])).toEqual([["password", "ok", true], ["reset", "changed", true], ["deliver", "changed", false]]);
    expect(resumed.log.filter((entry) => entry.method === "PATCH")).toHaveLength(1);
    expect(started.sandbox.tenant.sentMail).toHaveLength(1);
    expect(JSON.stringify(started.sandbox.tenant.sentMail[0])).toContain([...started.services.sentPasswords][0]);
  });

  it("a PATCH whose answer was lost (504 after Graph applied it) is resubmitted and counted as changed; the mail goes on its own, once", async () => {
    const { result, log, sandbox: tenant } = await runReset({ faults: [{ kind: "timeout", method: "PATCH", path: "/v1.0/users/*", times: 1, afterApply: true }] });

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 2], ["deliver", "changed", 1]]);
    expect(intentTrips(log)).toEqual([[PATCHED(504), MAILED(424)], [PATCHED(204)], [MAILED(202)]]);
    expect(tenant.tenant.sentMail).toHaveLength(1);
  });

  it("a $batch whose whole answer was lost after Graph ran it is sent again: the PATCH is safe to repeat, the mail arrives twice and the record says so", async () => {
    const { result, log, sandbox: tenant } = await runReset({ policy: false, faults: [{ kind: "reset", method: "POST", path: "/v1.0/$batch", times: 1, afterApply: true }] });

    expect(result.status).toBe("succeeded");
    expect(stepsOf(result)).toEqual([["password", "ok", 1], ["reset", "changed", 2], ["deliver", "changed", 2]]);
    expect(roundTrips(log)).toEqual([[PATCHED(204), MAILED(202)], [PATCHED(204), MAILED(202)]]);
    expect(tenant.tenant.sentMail).toHaveLength(2);
  });
});
