/** Engine services for tests: a loopback Graph client, a clock that never really waits, captured events. */
import type { GraphClient } from "../../engine/clients/graph/types";
import type { EngineServices, RunContext } from "../../engine/runtime/types";

export interface TestServices extends EngineServices {
  sleeps: number[];
  eventLog: Array<{ event: string; fields: Record<string, unknown> }>;
}

export function testServices(graph: GraphClient, settings: Record<string, string> = {}): TestServices {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  const eventLog: TestServices["eventLog"] = [];
  return {
    graph,
    clock: { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) },
    settings: { HELPDESK_EMAIL: "helpdesk@contoso.com", MAIL_SENDER: "noreply@contoso.com", ...settings },
    events: (event, fields) => void eventLog.push({ event, fields }),
    sleeps,
    eventLog,
  };
}

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return { runId: "run-1", ticketId: "T-42", intentName: "test", contactName: "Ada Admin", contactEmail: "ada@contoso.com", companyName: "Contoso", ...overrides };
}
