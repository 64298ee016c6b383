/**
 * What a case's run asked and was answered, in order, with the step it belonged to: the Graph,
 * Exchange and Automation clients are wrapped, and the interpreter's `step.finished` events close each step's
 * share. A failed case prints the exchange that decided it (see explain.ts).
 */
import type { AutomationClient } from "../../clients/arm/types";
import type { ExchangeClient } from "../../clients/exchange/types";
import type { GraphClient, GraphRequest, GraphResponse } from "../../clients/graph/types";

export interface Exchange {
  /** The step that sent it; set when that step finishes. */
  step?: string;
  /** `GET /users/…?$select=id`, `cmdlet Set-Mailbox`, `runbook Convert-ToSharedMailbox start`. */
  request: string;
  /** The HTTP status, the job state, or the error thrown. */
  status: string;
  answer?: unknown;
}

export interface ExchangeLog {
  readonly exchanges: Exchange[];
  /** The interpreter finished a step: the exchanges since the last one were its. */
  stepFinished(stepId: string): void;
}

export function exchangeLog(): ExchangeLog {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    stepFinished(stepId) {
      for (let i = exchanges.length - 1; i >= 0 && exchanges[i]!.step === undefined; i--) exchanges[i]!.step = stepId;
    },
  };
}

function describeRequest(request: GraphRequest): string {
  const query = Object.entries(request.query ?? {}).map(([k, v]) => `${k}=${v}`).join("&");
  return `${request.method} ${request.path}${query ? `?${query}` : ""}`;
}

function graphAnswer(log: ExchangeLog, request: GraphRequest, response: GraphResponse): void {
  log.exchanges.push({ request: describeRequest(request), status: String(response.status), answer: response.body });
}

async function noted<T>(log: ExchangeLog, request: string, call: () => Promise<T>, status: (value: T) => string, answer?: (value: T) => unknown): Promise<T> {
  try {
    const value = await call();
    log.exchanges.push({ request, status: status(value), ...(answer ? { answer: answer(value) } : {}) });
    return value;
  } catch (thrown) {
    log.exchanges.push({ request, status: `no answer: ${(thrown as Error).message}` });
    throw thrown;
  }
}

export function recordingGraph(graph: GraphClient, log: ExchangeLog): GraphClient {
  return {
    request: async (request, options) => {
      try {
        const response = await graph.request(request, options);
        graphAnswer(log, request, response);
        return response;
      } catch (thrown) {
        log.exchanges.push({ request: describeRequest(request), status: `no answer: ${(thrown as Error).message}` });
        throw thrown;
      }
    },
    batch: async (requests, options) => {
      const responses = await noted(log, `$batch of ${requests.length}`, () => graph.batch(requests, options), () => "sent");
      log.exchanges.pop();
      requests.forEach((request, i) => graphAnswer(log, request, responses[i]!));
      return responses;
    },
    getAll: (request, options) => noted(log, describeRequest(request), () => graph.getAll(request, options), (all) => `200 (${all.items.length} items, ${all.pages} page${all.pages === 1 ? "" : "s"})`, (all) => all.items),
  };
}

export function recordingAutomation(automation: AutomationClient, log: ExchangeLog): AutomationClient {
  return {
    startJob: (jobName, runbook, parameters, options) => noted(log, `runbook ${runbook} start`, () => automation.startJob(jobName, runbook, parameters, options), (job) => job.status, (job) => job.exception),
    getJob: (jobName, options) => noted(log, `runbook job poll`, () => automation.getJob(jobName, options), (job) => job.status, (job) => job.exception),
    getJobOutput: (jobName, options) => noted(log, `runbook job output`, () => automation.getJobOutput(jobName, options), () => "read", (text) => text),
  };
}

/** An admin API answer as the case reader needs it: Exchange's code and words, or the objects it returned. */
export function recordingExchange(exchange: ExchangeClient, log: ExchangeLog): ExchangeClient {
  return {
    invoke: (invocation, options) =>
      noted(log, `cmdlet ${invocation.cmdlet}`, () => exchange.invoke(invocation, options), (answer) => String(answer.status), (answer) =>
        answer.code === undefined ? answer.value : { error: { code: answer.code, message: answer.message } },
      ),
  };
}
