/** The Microsoft Graph kinds, over the Graph client their factory receives. */
import type { StepKind, StepKindSpec } from "../../core/step-kind";
import { graphBatch, graphBatchSpec } from "./batch";
import { graphList, graphListSpec } from "./list";
import { mailSend, mailSendSpec } from "./mail-send";
import { graphRequest, graphRequestSpec, type GraphKindDeps } from "./request";

export type { GraphKindDeps };

export function graphKinds(deps: GraphKindDeps): StepKind[] {
  return [graphRequest(deps), graphBatch(deps), graphList(deps), mailSend(deps)];
}

export const graphKindSpecs: readonly StepKindSpec[] = [graphRequestSpec, graphBatchSpec, graphListSpec, mailSendSpec];
