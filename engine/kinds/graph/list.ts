/** `graph:list`: a GET that follows `@odata.nextLink` to the end; `response.items`. */
import { graphOptions, type GraphKindDeps } from "./request";
import { graphRequestSchema, lintGraphRequest, literalGraphRequest, toGraphRequest, type GraphRequestInput } from "./input";
import type { KindAnswer, StepKind, StepKindSpec } from "../../core/step-kind";

export const graphListSpec: StepKindSpec<GraphRequestInput> = {
  id: "graph:list",
  description: "Every item of a Graph collection, following @odata.nextLink.",
  inputSchema: { ...graphRequestSchema, required: ["path"], properties: { ...graphRequestSchema.properties, method: { const: "GET" } } },
  odataPaths: ["query.$filter", "query.$search"],
  isReadOnly: () => true,
  lint: (step, report) => lintGraphRequest(step, report, []),
  graphRequests: (input) => [literalGraphRequest(input, [])].filter((r) => r !== undefined),
  describe: (input) => toGraphRequest({ ...input, method: "GET" }),
  // Every page answered 2xx: the client throws on anything else.
  classify: () => ({ success: true, status: 200 }),
};

export function graphList({ graph }: GraphKindDeps): StepKind<GraphRequestInput> {
  return {
    ...graphListSpec,
    async run(input, ctx): Promise<KindAnswer> {
      const { items, attempts, pages } = await graph.getAll(toGraphRequest({ ...input, method: "GET" }), graphOptions(ctx));
      return { response: { items, pages }, attempts };
    },
  };
}
