/**
 * A PSA simulator's control surface under /_sandbox: the request log, fault rules and the notes
 * written so far. Not logged and never faulted: it is how tests and people look at the PSA.
 */
import { faultRuleProblem, type FaultRuleInput } from "../faults/rules";
import type { RequestLog } from "../request-log";
import type { PsaFaults } from "./faults";
import { TicketBook } from "./tickets";
import type { PsaReply, PsaSimulator } from "./types";

export interface PsaControlDeps {
  simulator: PsaSimulator;
  log: RequestLog;
  faults: PsaFaults;
  tickets: TicketBook;
}

function problem(status: number, code: string, message: string): PsaReply {
  return { status, body: { error: { code, message } } };
}

function addFaults(faults: PsaFaults, body: unknown): PsaReply {
  const many = Array.isArray((body as { rules?: unknown })?.rules);
  const inputs = many ? (body as { rules: unknown[] }).rules : [body];
  for (const [i, input] of inputs.entries()) {
    const reason = faultRuleProblem(input);
    if (reason) return problem(400, "InvalidFaultRule", many ? `rules[${i}]: ${reason}.` : `${reason}.`);
  }
  const added = inputs.map((input) => faults.add(input as FaultRuleInput));
  return { status: 201, body: many ? { rules: added } : added[0] };
}

/** Answers `method` on `path` (below /_sandbox). */
export function handlePsaControl(deps: PsaControlDeps, method: string, path: string, body: unknown): PsaReply {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /requests":
      return { status: 200, body: { value: deps.log.list() } };
    case "DELETE /requests":
      deps.log.clear();
      return { status: 204 };
    case "GET /faults":
      return { status: 200, body: { value: deps.faults.list() } };
    case "POST /faults":
      return addFaults(deps.faults, body);
    case "DELETE /faults":
      deps.faults.clear();
      return { status: 204 };
    case "GET /tickets":
      return { status: 200, body: { value: deps.tickets.all() } };
    case "DELETE /tickets":
      deps.tickets.clear();
      return { status: 204 };
    case "DELETE /tokens":
      if (!deps.simulator.revokeTokens) return problem(404, "NotFound", `${deps.simulator.name} issues no tokens.`);
      deps.simulator.revokeTokens();
      return { status: 204 };
    default: {
      const fault = /^DELETE \/faults\/([^/]+)$/.exec(route);
      if (fault) return deps.faults.remove(decodeURIComponent(fault[1] as string)) ? { status: 204 } : problem(404, "FaultRuleNotFound", "No fault rule has this id.");
      const notes = /^GET \/tickets\/([^/]+)\/notes$/.exec(route);
      const ticketId = notes ? TicketBook.parseId(notes[1]) : undefined;
      if (ticketId !== undefined) return { status: 200, body: { value: deps.tickets.list(ticketId) } };
      return problem(404, "NotFound", `The control surface has no ${method} ${path}.`);
    }
  }
}
