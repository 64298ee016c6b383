/** The one place step kinds are registered. A new kind is a module plus one line here. */
import { IntentError } from "../core/errors";
import { automationRunbook } from "./automation/runbook";
import { graphBatch } from "./graph/batch";
import { graphList } from "./graph/list";
import { graphRequest } from "./graph/request";
import { mailSend } from "./graph/mail-send";
import { secretGenerate } from "./secret/generate";
import type { StepKind } from "../core/step-kind";

const kinds = new Map<string, StepKind>();

export function registerStepKind(kind: StepKind): void {
  if (kinds.has(kind.id)) throw new IntentError("INTERNAL", `Step kind ${kind.id} is registered twice.`);
  kinds.set(kind.id, kind);
}

registerStepKind(graphRequest);
registerStepKind(graphBatch);
registerStepKind(graphList);
registerStepKind(secretGenerate);
registerStepKind(mailSend);
registerStepKind(automationRunbook);

export function findStepKind(id: string): StepKind | undefined {
  return kinds.get(id);
}

export function stepKindIds(): string[] {
  return [...kinds.keys()].sort();
}
