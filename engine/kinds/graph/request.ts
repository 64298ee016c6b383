/** `graph:request`: one Graph request; a for-each of them goes through `$batch`. */
import { classifyGraph, graphRequestSchema, lintGraphRequest, responseView, toGraphRequest, type GraphRequestInput } from "./input";
import type { KindAnswer, StepKind, StepRunContext } from "../../core/step-kind";
import { graphBodyUrlSlots } from "./body-urls";

/** The client options a Graph kind passes on from its step: timeout, retry overrides, abort signal. */
export function graphOptions(ctx: StepRunContext) {
  return {
    signal: ctx.signal,
    ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    ...(ctx.retry === undefined ? {} : { retry: ctx.retry }),
  };
}

export const graphRequest: StepKind<GraphRequestInput> = {
  id: "graph:request",
  description: "One Microsoft Graph request: method, path + params, query, headers, body.",
  inputSchema: graphRequestSchema,
  secretPaths: ["body"],
  urlSlot: graphBodyUrlSlots("body"),
  odataPaths: ["query.$filter", "query.$search"],
  isReadOnly: (input) => input.method === "GET",
  lint: (step, report) => lintGraphRequest(step, report, []),
  describe: (input) => toGraphRequest(input),
  classify: classifyGraph,
  async run(input, ctx): Promise<KindAnswer> {
    const response = await ctx.services.graph.request(toGraphRequest(input, ctx.idempotent), graphOptions(ctx));
    return { response: responseView(response), attempts: response.attempts };
  },
  async runMany(inputs, ctx): Promise<KindAnswer[]> {
    const responses = await ctx.services.graph.batch(inputs.map((input) => toGraphRequest(input, ctx.idempotent)), graphOptions(ctx));
    return responses.map((response) => ({ response: responseView(response), attempts: response.attempts }));
  },
};
