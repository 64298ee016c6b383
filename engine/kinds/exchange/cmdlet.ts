/**
 * `exchange:cmdlet`: one Exchange Online cmdlet from the closed list, through the admin API
 * (`InvokeCommand`) in one round trip. A for-each sends its items in parallel, a few at a time, so
 * a list of groups costs one wave of round trips, not one per group.
 */
import { findCmdlet } from "../../contracts/exchange-cmdlets";
import { IntentError } from "../../core/errors";
import type { ExchangeCallOptions, ExchangeClient } from "../../clients/exchange/types";
import type { Classification, KindAnswer, StepKind, StepKindSpec, StepRunContext } from "../../core/step-kind";
import { exchangeCmdletSchema, responseView, type ExchangeCmdletInput, type ExchangeResponseView } from "./input";
import { lintExchangeCmdlet } from "./lint";

/** What the Exchange kinds' factory receives: the admin API client the composition root built. */
export interface ExchangeKindDeps {
  /** Absent where a host composed none (tests of other kinds): a cmdlet step then fails, said plainly. */
  exchange?: ExchangeClient;
}

/** In flight at once for a for-each: Exchange limits concurrent requests per app, so a few. */
const PARALLEL_CMDLETS = 5;

export const exchangeCmdletSpec: StepKindSpec<ExchangeCmdletInput> = {
  id: "exchange:cmdlet",
  description: "Runs one Exchange Online cmdlet from the engine's closed list (engine/contracts/exchange-cmdlets.ts) through the admin API.",
  inputSchema: exchangeCmdletSchema,
  isReadOnly: (input) => findCmdlet(input.cmdlet)?.readOnly === true,
  lint: lintExchangeCmdlet,
  describe: (input) => ({ cmdlet: input.cmdlet, parameters: input.parameters, ...(input.anchorMailbox === undefined ? {} : { anchorMailbox: input.anchorMailbox }) }),
  classify: classifyExchange,
};

export function exchangeCmdlet({ exchange }: ExchangeKindDeps): StepKind<ExchangeCmdletInput> {
  const runOne = async (input: ExchangeCmdletInput, ctx: StepRunContext): Promise<KindAnswer> => {
    if (!exchange) throw notComposed();
    const answer = await exchange.invoke(
      { cmdlet: input.cmdlet, parameters: input.parameters, ...(input.anchorMailbox === undefined ? {} : { anchorMailbox: input.anchorMailbox }) },
      callOptions(ctx),
    );
    return { response: responseView(input.cmdlet, answer), attempts: answer.attempts, ...(answer.afterLostAnswer ? { afterLostAnswer: true } : {}) };
  };
  return {
    ...exchangeCmdletSpec,
    run: runOne,
    async runMany(inputs, ctx) {
      const answers: KindAnswer[] = new Array(inputs.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < inputs.length; index = next++) answers[index] = await runOne(inputs[index]!, ctx);
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_CMDLETS, inputs.length) }, worker));
      return answers;
    },
  };
}

export function exchangeKinds(deps: ExchangeKindDeps): StepKind[] {
  return [exchangeCmdlet(deps)];
}

export const exchangeKindSpecs: readonly StepKindSpec[] = [exchangeCmdletSpec];

/**
 * A 2xx is a success (`ok` when Exchange said nothing changed); anything else fails with the
 * stable code and Exchange's own words, unless an outcome rule says otherwise (`match: { code:
 * EXCHANGE_ALREADY_DONE }` → ok for "already a member" and "not a member").
 */
export function classifyExchange(response: unknown): Classification {
  const view = response as ExchangeResponseView;
  const said = { ...(view.code === undefined ? {} : { code: view.code }), ...(view.message === undefined ? {} : { message: view.message }) };
  if (view.status >= 200 && view.status < 300) {
    return { success: true, status: view.status, ...said, ...(view.code === "EXCHANGE_ALREADY_DONE" ? { outcome: "ok" as const } : {}) };
  }
  const why = view.message ?? `it answered ${view.status}`;
  return { success: false, status: view.status, ...said, error: { code: view.code ?? "EXCHANGE_ERROR", message: `Exchange Online refused ${view.cmdlet}: ${why}` } };
}

function notComposed(): IntentError {
  return new IntentError("CONFIG_MISSING", "Exchange Online is not configured for the admin API in this host.", {
    fix: "Compose the host with an Exchange client (EXCHANGE_BASE_URL and the identity settings), or set EXCHANGE_MODE=runbook.",
  });
}

function callOptions(ctx: StepRunContext): ExchangeCallOptions {
  return {
    signal: ctx.signal,
    ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    ...(ctx.retry === undefined ? {} : { retry: ctx.retry }),
  };
}
