/**
 * Runs an intent's cases: each case gets its own sandbox (demo tenant plus the case's patches and
 * faults) on a free port, real engine services, mapFields, requester policy (as for a webhook),
 * execute, and a comparison of the requests sent, the step results, the run's answer and the
 * final tenant state.
 */
import { startSandbox, type FaultRuleInput, type Sandbox, type TenantState } from "../../../sandbox";
import { ensureIntentError, IntentError } from "../../core/errors";
import type { PolicyDecision } from "../../language/policy/types";
import { refusedResult } from "../../lifecycle/execute/judge";
import { judge } from "../../lifecycle/policy/gate";
import { leadingReads } from "../../runtime/leading-reads";
import { execute } from "../../runtime/interpreter";
import { createRedactor } from "../../core/redaction";
import type { RunResult } from "../../runtime/types";
import { mapFields } from "../../language/spec/fields";
import type { CompiledIntent } from "../../language/spec/types";
import { equalProblem, subsetProblems } from "./compare";
import { explainRun } from "./explain";
import { caseFixture } from "./fixture";
import { caseGate } from "./policy";
import { requestProblems, sentRequests, splitPolicyRequests, type SentRequest } from "./requests";
import { caseServices, CASE_SETTINGS, fastClock, type CapturedEvent } from "./services";
import { calendarFrom } from "../../language/time/calendar";
import { stateProblems } from "./state";
import type { CaseOutcome, IntentCase } from "./types";

/** Everything a case produced, for tests that look across all cases (the secret scan). */
export interface CaseTrace {
  result?: RunResult;
  /** What requester policy decided, and the requests it sent (left out of `requests`). */
  policy?: PolicyDecision;
  policyRequests: SentRequest[];
  events: CapturedEvent[];
  requests: SentRequest[];
  /** Passwords the engine sent to Graph (generated or given). */
  sentPasswords: string[];
  /** Every secret the run knew: secret fields and every secret step output (a pass Graph returned included). */
  secrets: string[];
  /** Every wait the engine asked of the (fast) clock, in ms: a Retry-After shows here, not in real time. */
  sleeps: number[];
  /** HTTP exchanges, one per `$batch` (its items ride along): what a run waits on, one after another. */
  roundTrips: { graph: number; automation: number; exchange: number };
  tenant?: TenantState;
}

async function addFaults(sandbox: Sandbox, faults: FaultRuleInput[]): Promise<void> {
  if (faults.length === 0) return;
  const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rules: faults }) });
  if (answer.status !== 201) throw new Error(`the sandbox refused the case's faults: ${await answer.text()}`);
}

function resultProblems(c: IntentCase, result: RunResult): string[] {
  const { expect } = c;
  const problems: string[] = [];
  if (expect.status !== undefined) problems.push(...equalProblem("status", expect.status, result.status));
  if (expect.message !== undefined) problems.push(...equalProblem("message", expect.message, result.message));
  if (expect.error !== undefined) problems.push(...subsetProblems("error", expect.error, result.error));
  if (expect.steps !== undefined) {
    const actual = Object.fromEntries(result.steps.map((s) => [s.id, s.status]));
    problems.push(...equalProblem("steps", expect.steps, actual));
  }
  if (expect.outputs !== undefined) problems.push(...subsetProblems("outputs", expect.outputs, result.outputs ?? {}));
  return problems;
}

function policyProblems(c: IntentCase, decision: PolicyDecision): string[] {
  const want = c.expect.policy;
  if (want === undefined) return [];
  return subsetProblems("policy", want, { decision: decision.decision, source: decision.rule.source, reason: decision.rule.reason });
}

/** Who asks (meta_data.contact_email): the case's requester, else the target themself (self-service). */
export function requesterOf(intent: CompiledIntent, c: IntentCase, fields: Record<string, unknown>): string {
  if (c.requester !== undefined) return c.requester;
  const target = intent.target === undefined ? undefined : fields[intent.target];
  if (typeof target === "string") return target;
  throw new IntentError("SPEC_CASE_INVALID", `case "${c.name}" needs a requester: ${intent.name} has no target to ask for themself.`);
}

async function runInSandbox(intent: CompiledIntent, c: IntentCase, fields: Record<string, unknown>, trace: CaseTrace): Promise<{ problems: string[]; explanation: string[] }> {
  const clock = fastClock();
  const sandbox = await startSandbox({ fixture: caseFixture(c.fixture), now: clock.now });
  const services = caseServices(sandbox, clock, c.settings);
  try {
    await addFaults(sandbox, c.faults ?? []);
    const requester = requesterOf(intent, c, fields);
    const run = { runId: `case-${c.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`, ticketId: "T-1001", intentName: intent.name, contactName: "Ada Requester", contactEmail: requester, companyName: "Contoso Ltd" };
    const redactor = createRedactor();
    // As a webhook's run: judged by the deployment's policy first (the demo deployment's, with this case's rule for the intent).
    const judgement = await judge(caseGate(intent, c, services.settings, services.graph), intent, fields, requester, leadingReads(intent, fields, run, services.settings));
    const result = refusedResult(judgement) ?? await execute(intent, { fields, run, redactor, services, ...(judgement.prefetched ? { prefetched: judgement.prefetched } : {}) });
    const log = sandbox.requests();
    const exchanges = log.filter((entry) => entry.batch === undefined);
    const graph = exchanges.filter((entry) => entry.path.startsWith("/v1.0/")).length;
    const exchange = exchanges.filter((entry) => entry.path.startsWith("/adminapi/")).length;
    const roundTrips = { graph, automation: exchanges.length - graph - exchange, exchange };
    const { intentRequests, policyRequests } = splitPolicyRequests(sentRequests(log), judgement.sent);
    Object.assign(trace, { result, policy: judgement.decision, policyRequests, events: services.captured, requests: intentRequests, sentPasswords: [...services.sentPasswords], secrets: [...redactor.secrets], tenant: sandbox.tenant, roundTrips, sleeps: [...clock.sleeps] });
    const problems = [...resultProblems(c, result), ...policyProblems(c, judgement.decision)];
    if (c.expect.requests) problems.push(...requestProblems(c.expect.requests, trace.requests));
    if (c.expect.state) problems.push(...stateProblems(c.expect.state, sandbox.tenant));
    return { problems, explanation: problems.length === 0 ? [] : explainRun(c, result, services.exchanges.exchanges, redactor) };
  } finally {
    await services.close();
    await sandbox.close();
  }
}

export async function runCase(intent: CompiledIntent, c: IntentCase): Promise<{ outcome: CaseOutcome; trace: CaseTrace }> {
  const started = Date.now();
  const trace: CaseTrace = { events: [], requests: [], policyRequests: [], sentPasswords: [], secrets: [], sleeps: [], roundTrips: { graph: 0, automation: 0, exchange: 0 } };
  let problems: string[];
  let explanation: string[] = [];
  try {
    // Dates are read in the calendar the case's settings name (TENANT_TIME_ZONE, TENANT_DATE_ORDER), UTC by default.
    const mapped = mapFields(intent, c.fields, calendarFrom({ ...CASE_SETTINGS, ...c.settings }));
    if (!mapped.ok) {
      const actual = mapped.errors.map((e) => (c.expect.fieldErrors?.some((x) => x.message !== undefined) ? { field: e.field, message: e.message } : { field: e.field }));
      problems = c.expect.fieldErrors ? equalProblem("fieldErrors", c.expect.fieldErrors, actual) : [`the fields were refused: ${mapped.errors.map((e) => `${e.label}: ${e.message}`).join("; ")}`];
    } else if (c.expect.fieldErrors) {
      problems = ["fieldErrors: expected the fields to be refused, but they were accepted"];
    } else {
      ({ problems, explanation } = await runInSandbox(intent, c, mapped.fields, trace));
    }
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    problems = [`the case could not run: ${error.code} ${error.message}`];
  }
  const outcome: CaseOutcome = { intent: intent.name, name: c.name, passed: problems.length === 0, problems, durationMs: Date.now() - started };
  if (explanation.length > 0) outcome.explanation = explanation;
  return { outcome, trace };
}
