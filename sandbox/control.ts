/**
 * The control surface under /_sandbox: dump and load the tenant, read and clear the request log,
 * add and remove fault rules. Answers are plain JSON; errors use the Graph envelope's outline so
 * one client can read both.
 */
import { IntentError } from "../engine/core/errors";
import { faultRuleProblem, type FaultRuleInput } from "./faults/rules";
import type { FaultStore } from "./faults/store";
import type { RequestLog } from "./request-log";
import { replaceTenant, tenantFromFixture } from "./tenant/load";
import type { TenantState } from "./tenant/types";

export interface ControlDeps {
  tenant: TenantState;
  faults: FaultStore;
  log: RequestLog;
}

export interface ControlAnswer {
  status: number;
  body?: unknown;
}

function problem(status: number, code: string, message: string): ControlAnswer {
  return { status, body: { error: { code, message } } };
}

function addFaults(deps: ControlDeps, body: unknown): ControlAnswer {
  const inputs = Array.isArray((body as { rules?: unknown })?.rules) ? (body as { rules: unknown[] }).rules : [body];
  for (const [i, input] of inputs.entries()) {
    const reason = faultRuleProblem(input);
    if (reason) return problem(400, "InvalidFaultRule", inputs.length > 1 ? `rules[${i}]: ${reason}.` : `${reason}.`);
  }
  const added = inputs.map((input) => deps.faults.add(input as FaultRuleInput));
  return { status: 201, body: inputs.length === 1 && !Array.isArray((body as { rules?: unknown })?.rules) ? added[0] : { rules: added } };
}

function loadState(deps: ControlDeps, body: unknown): ControlAnswer {
  try {
    replaceTenant(deps.tenant, tenantFromFixture(body));
    return { status: 204 };
  } catch (error) {
    if (error instanceof IntentError) return problem(400, error.code, error.message);
    throw error;
  }
}

/** Answers `method` on `path` (below /_sandbox). */
export function handleControl(deps: ControlDeps, method: string, path: string, body: unknown): ControlAnswer {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /state":
      return { status: 200, body: deps.tenant };
    case "PUT /state":
      return loadState(deps, body);
    case "GET /requests":
      return { status: 200, body: { value: deps.log.list() } };
    case "DELETE /requests":
      deps.log.clear();
      return { status: 204 };
    case "GET /faults":
      return { status: 200, body: { value: deps.faults.list() } };
    case "POST /faults":
      return addFaults(deps, body);
    case "DELETE /faults":
      deps.faults.clear();
      return { status: 204 };
    default: {
      const one = /^DELETE \/faults\/([^/]+)$/.exec(route);
      if (one) {
        let id: string;
        try {
          id = decodeURIComponent(one[1] as string);
        } catch {
          return problem(400, "BadRequest", "The fault rule id is not a valid URL segment.");
        }
        return deps.faults.remove(id) ? { status: 204 } : problem(404, "FaultRuleNotFound", "No fault rule has this id.");
      }
      return problem(404, "NotFound", `The sandbox control surface has no ${method} ${path}.`);
    }
  }
}
