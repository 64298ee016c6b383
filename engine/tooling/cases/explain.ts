/**
 * Why a case failed, for the person reading `intents test`: the step that decided the run (the
 * first whose status differs from the case's `steps`, else the first that failed, else the last
 * that ran), its error, and the request and answer that decided it.
 */
import type { Redactor } from "../../core/redaction";
import type { RunResult, StepResult } from "../../runtime/types";
import { show } from "./compare";
import type { Exchange } from "./exchanges";
import type { IntentCase } from "./types";

/** At most this many of the deciding step's exchanges, its last ones (a lookup then the write it allowed). */
const SHOWN_EXCHANGES = 2;

function decidingStep(c: IntentCase, result: RunResult): StepResult | undefined {
  const expected = c.expect.steps;
  if (expected) {
    const differs = result.steps.find((step) => expected[step.id] !== undefined && expected[step.id] !== step.status);
    if (differs) return differs;
  }
  return result.steps.find((step) => step.status === "failed") ?? result.steps[result.steps.length - 1];
}

function stepLine(step: StepResult): string {
  const attempts = `${step.attempts} attempt${step.attempts === 1 ? "" : "s"}`;
  const error = step.error ? `: ${step.error.code} ${step.error.message}` : "";
  return `decided at step ${step.id} (${step.kind}, ${step.status}, ${attempts})${error}`;
}

/** The part of an answer that decides: a Graph error's code and message, a body without its @odata.context. */
function compact(answer: unknown): unknown {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return answer;
  const error = (answer as { error?: { code?: unknown; message?: unknown } }).error;
  if (error && typeof error === "object") return { error: { code: error.code, message: error.message } };
  return Object.fromEntries(Object.entries(answer).filter(([key]) => key !== "@odata.context"));
}

function exchangeLine(exchange: Exchange): string {
  const answer = exchange.answer === undefined || exchange.answer === null || exchange.answer === "" ? "" : ` ${show(compact(exchange.answer))}`;
  return `  ${exchange.request} → ${exchange.status}${answer}`;
}

/** Lines that explain a failed case's run (none when the run gave nothing to explain). */
export function explainRun(c: IntentCase, result: RunResult | undefined, exchanges: readonly Exchange[], redactor: Redactor): string[] {
  if (!result) return [];
  const step = decidingStep(c, result);
  if (!step) return result.error ? [redactor.mask(`decided before any step: ${result.error.code} ${result.error.message}`)] : [];
  const own = exchanges.filter((exchange) => exchange.step === step.id);
  const lines = [stepLine(step), ...own.slice(-SHOWN_EXCHANGES).map(exchangeLine)];
  if (own.length > SHOWN_EXCHANGES) lines.splice(1, 0, `  … ${own.length - SHOWN_EXCHANGES} earlier request(s) of this step`);
  if (own.length === 0 && step.status !== "skipped") lines.push("  (no request: the step decided from its input)");
  return lines.map((line) => redactor.mask(line));
}
