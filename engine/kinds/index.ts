/**
 * The engine's step kinds. A host builds one registry from the clients it composed; the language
 * checks intents against the specs alone, which need no client. A new kind is a module, its
 * factory, and one entry in each list here.
 */
import type { StepKindSpec } from "../core/step-kind";
import { StepKindRegistry } from "../core/step-kind-registry";
import { automationKinds, automationKindSpecs, type AutomationKindDeps } from "./automation/runbook";
import { exchangeKinds, exchangeKindSpecs, type ExchangeKindDeps } from "./exchange/cmdlet";
import { graphKinds, graphKindSpecs, type GraphKindDeps } from "./graph";
import { scheduleKinds, scheduleKindSpecs, type ScheduleKindDeps } from "./schedule/cancel";
import { secretGenerate } from "./secret/generate";
import { undoKinds, undoLatestSpec, type UndoKindDeps } from "./undo/latest";

export { automationKinds, exchangeKinds, graphKinds, scheduleKinds, undoKinds };
export type KindDeps = GraphKindDeps & AutomationKindDeps & ExchangeKindDeps & ScheduleKindDeps & UndoKindDeps;

export function builtinKinds(deps: KindDeps): StepKindRegistry {
  return new StepKindRegistry([...graphKinds(deps), secretGenerate, ...exchangeKinds(deps), ...automationKinds(deps), ...scheduleKinds(deps), ...undoKinds(deps)]);
}

/** The same kinds' specs: for lint, docs and anything else that checks intents without running them. */
export function builtinKindSpecs(): StepKindRegistry<StepKindSpec> {
  return new StepKindRegistry<StepKindSpec>([...graphKindSpecs, secretGenerate, ...exchangeKindSpecs, ...automationKindSpecs, ...scheduleKindSpecs, undoLatestSpec]);
}
