/** `graph:batch`: named independent requests in one `$batch` round trip; `response.<name>` each. */
import { IntentError } from "../../core/errors";
import { graphOptions, lostBefore, type GraphKindDeps } from "./request";
import { classifyGraph, graphRequestSchema, lintGraphRequest, literalGraphRequest, responseView, toGraphRequest, type GraphRequestInput } from "./input";
import type { Classification, KindAnswer, StepKind, StepKindSpec } from "../../core/step-kind";
import { graphBodyUrlSlots } from "./body-urls";

export interface GraphBatchInput {
  requests: Record<string, GraphRequestInput>;
}

export const graphBatchSpec: StepKindSpec<GraphBatchInput> = {
  id: "graph:batch",
  description: "Named independent Graph requests sent in one $batch round trip.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["requests"],
    properties: { requests: { type: "object", minProperties: 1, maxProperties: 20, additionalProperties: graphRequestSchema } },
  },
  secretPaths: ["requests.*.body"],
  urlSlot: graphBodyUrlSlots("requests.*.body"),
  odataPaths: ["requests.*.query.$filter", "requests.*.query.$search"],
  isReadOnly: (input) => Object.values(input.requests).every((request) => request.method === "GET"),
  lint(step, report) {
    const requests = (step.with as { requests?: unknown } | undefined)?.requests;
    if (!requests || typeof requests !== "object") return;
    for (const name of Object.keys(requests)) lintGraphRequest(step, report, ["requests", name]);
  },
  graphRequests(input) {
    const requests = (input as { requests?: unknown } | undefined)?.requests;
    if (!requests || typeof requests !== "object") return [];
    return Object.keys(requests).flatMap((name) => literalGraphRequest(input, ["requests", name]) ?? []);
  },
  describe: (input) => Object.fromEntries(Object.entries(input.requests).map(([name, request]) => [name, toGraphRequest(request)])),
  graphReads(input) {
    if (!Object.values(input.requests).every((request) => request.method === "GET")) return undefined;
    const names = Object.keys(input.requests);
    return {
      requests: names.map((name) => ({ ...toGraphRequest(input.requests[name] as GraphRequestInput), method: "GET" as const })),
      answer: (responses) => ({
        response: Object.fromEntries(names.map((name, i) => [name, responseView(responses[i]!)])),
        attempts: Math.max(...responses.map((r) => r.attempts)),
      }),
    };
  },
  /** Succeeds when every request did; otherwise classified by the first failing one. */
  classify(response): Classification {
    for (const answer of Object.values((response ?? {}) as Record<string, unknown>)) {
      const classification = classifyGraph(answer);
      if (!classification.success) return classification;
    }
    return { success: true, status: 200 };
  },
};

export function graphBatch({ graph }: GraphKindDeps): StepKind<GraphBatchInput> {
  return {
    ...graphBatchSpec,
    async run(input, ctx): Promise<KindAnswer> {
      const names = Object.keys(input.requests);
      const requests = names.map((name) => toGraphRequest(input.requests[name] as GraphRequestInput, ctx.idempotent));
      const responses = await graph.batch(requests, graphOptions(ctx));
      if (responses.length !== names.length) throw new IntentError("GRAPH_ERROR", "The $batch answer does not hold one response per request.");
      const view = Object.fromEntries(names.map((name, i) => [name, responseView(responses[i]!)]));
      return { response: view, attempts: Math.max(...responses.map((r) => r.attempts)), ...lostBefore({ afterLostAnswer: responses.some((r) => r.afterLostAnswer) }) };
    },
  };
}
