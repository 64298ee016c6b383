/** Engine services for tests: the built-in kinds over a loopback Graph client, a clock that never really waits, captured events. */
import { automationClientFromSettings } from "../../engine/clients/arm";
import type { GraphClient } from "../../engine/clients/graph/types";
import type { StepKind, StepKindSpec } from "../../engine/core/step-kind";
import { StepKindRegistry } from "../../engine/core/step-kind-registry";
import { builtinKinds, builtinKindSpecs } from "../../engine/kinds";
import type { EngineServices, RunContext } from "../../engine/runtime/types";

export interface TestServices extends EngineServices {
  sleeps: number[];
  eventLog: Array<{ event: string; fields: Record<string, unknown> }>;
}

/** `extraKinds`: a test's own kinds (fakes), registered beside the built-in ones. */
export function testServices(graph: GraphClient, settings: Record<string, string> = {}, extraKinds: StepKind[] = []): TestServices {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  const eventLog: TestServices["eventLog"] = [];
  const builtin = builtinKinds({ graph, automation: automationClientFromSettings(settings) });
  return {
    kinds: new StepKindRegistry([...builtin.list(), ...extraKinds]),
    clock: { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) },
    settings: { HELPDESK_EMAIL: "helpdesk@contoso.com", MAIL_SENDER: "noreply@contoso.com", ...settings },
    events: (event, fields) => void eventLog.push({ event, fields }),
    sleeps,
    eventLog,
  };
}

/** The built-in kinds' specs and a test's own kinds: what test intents compile against. */
export function specsWith(...extraKinds: StepKindSpec[]): StepKindRegistry<StepKindSpec> {
  return new StepKindRegistry<StepKindSpec>([...builtinKindSpecs().list(), ...extraKinds]);
}

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return { runId: "run-1", ticketId: "T-42", intentName: "test", contactName: "Ada Admin", contactEmail: "ada@contoso.com", companyName: "Contoso", ...overrides };
}
