/** `graph:request`: one Graph request; a for-each of them goes through `$batch`. */
import type { GraphClient, GraphResponse } from "../../clients/graph/types";
import { classifyGraph, graphRequestSchema, lintGraphRequest, literalGraphRequest, responseView, toGraphRequest, type GraphRequestInput } from "./input";
import type { KindAnswer, StepKind, StepKindSpec, StepRunContext } from "../../core/step-kind";
import { graphBodyUrlSlots } from "./body-urls";

/** KindAnswer.afterLostAnswer from Graph's answer. */
export function lostBefore(response: { afterLostAnswer?: boolean }): { afterLostAnswer?: true } {
  return response.afterLostAnswer ? { afterLostAnswer: true } : {};
}

/** What every Graph kind's factory receives. */
export interface GraphKindDeps {
  graph: GraphClient;
}

/** The client options a Graph kind passes on from its step: timeout, retry overrides, abort signal, start-by time. */
export function graphOptions(ctx: StepRunContext) {
  return {
    signal: ctx.signal,
    ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    ...(ctx.retry === undefined ? {} : { retry: ctx.retry }),
    ...(ctx.deadline === undefined ? {} : { startBy: ctx.deadline }),
  };
}

export const graphRequestSpec: StepKindSpec<GraphRequestInput> = {
  id: "graph:request",
  description: "One Microsoft Graph request: method, path + params, query, headers, body.",
  inputSchema: graphRequestSchema,
  secretPaths: ["body"],
  urlSlot: graphBodyUrlSlots("body"),
  odataPaths: ["query.$filter", "query.$search"],
  isReadOnly: (input) => input.method === "GET",
  lint: (step, report) => lintGraphRequest(step, report, []),
  graphRequests: (input) => [literalGraphRequest(input, [])].filter((r) => r !== undefined),
  describe: (input) => toGraphRequest(input),
  classify: classifyGraph,
  graphReads: (input) =>
    input.method === "GET"
      ? { requests: [{ ...toGraphRequest(input), method: "GET" as const }], answer: ([response]) => ({ response: responseView(response!), attempts: response!.attempts }) }
      : undefined,
};

/** The kind's answer from Graph's, however the request went (alone, in a batch, before another). */
function answerOf(response: GraphResponse, method: GraphRequestInput["method"] | undefined): KindAnswer {
  return { response: responseView(response, method), attempts: response.attempts, ...lostBefore(response) };
}

export function graphRequest({ graph }: GraphKindDeps): StepKind<GraphRequestInput> {
  return {
    ...graphRequestSpec,
    async run(input, ctx): Promise<KindAnswer> {
      return answerOf(await graph.request(toGraphRequest(input, ctx.idempotent), graphOptions(ctx)), input.method);
    },
    async runMany(inputs, ctx): Promise<KindAnswer[]> {
      const responses = await graph.batch(inputs.map((input) => toGraphRequest(input, ctx.idempotent)), graphOptions(ctx));
      return responses.map((response, i) => answerOf(response, inputs[i]?.method));
    },
    async runThen(input, next, ctx) {
      const [own, then] = await graph.batch([toGraphRequest(input, ctx.idempotent), { ...next, dependsOn: [0] }], graphOptions(ctx));
      const answer = answerOf(own!, input.method);
      // 424: Graph did not run it, since this request failed (first, or before it was resubmitted).
      return then!.status === 424 ? { answer } : { answer, next: then! };
    },
  };
}
