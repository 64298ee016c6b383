/** The HTTP surface in one table, used by the Azure registrations and the local server alike. */
import { CONSOLE_ENDPOINTS } from "../../inbound/console/endpoints";
import type { DepsProvider } from "./adapt";
import { consoleHandler, runStatusOrDetailHandler, type ConsoleDepsProvider } from "./console-handlers";
import { approvalDecisionHandler, approvalPageHandler } from "./approval-handlers";
import { cancelScheduleHandler, healthHandler, intentHandler, undoPlanHandler, undoStartHandler, type HttpHandler } from "./handlers";

export interface RouteSpec {
  name: string;
  method: "GET" | "POST" | "DELETE";
  /** Relative to the /api prefix, in Functions route syntax. */
  route: string;
  handler: HttpHandler;
}

/** The webhook's routes, and the operator console's when a console is composed. */
export function httpRoutes(deps: DepsProvider, console?: ConsoleDepsProvider): RouteSpec[] {
  return [
    { name: "intent", method: "POST", route: "intent", handler: intentHandler(deps) },
    { name: "runStatus", method: "GET", route: "runs/{runId}", handler: runStatusOrDetailHandler(deps, console) },
    { name: "cancelSchedule", method: "DELETE", route: "runs/{runId}/schedule", handler: cancelScheduleHandler(deps) },
    { name: "undoPlan", method: "GET", route: "runs/{runId}/undo", handler: undoPlanHandler(deps) },
    { name: "undoRun", method: "POST", route: "runs/{runId}/undo", handler: undoStartHandler(deps) },
    { name: "health", method: "GET", route: "health", handler: healthHandler() },
    ...(console ? CONSOLE_ENDPOINTS.map((endpoint) => ({ name: endpoint.name, method: endpoint.method, route: endpoint.route, handler: consoleHandler(endpoint, console) })) : []),
    // The approver's page and its form: the signed link is the credential, not the shared secret.
    { name: "approvalPage", method: "GET", route: "approvals/{approvalId}", handler: approvalPageHandler(deps) },
    { name: "approvalDecision", method: "POST", route: "approvals/{approvalId}", handler: approvalDecisionHandler(deps) },
  ];
}
