/** The HTTP surface in one table, used by the Azure registrations and the local server alike. */
import type { DepsProvider } from "./adapt";
import { healthHandler, intentHandler, runStatusHandler, type HttpHandler } from "./handlers";

export interface RouteSpec {
  name: string;
  method: "GET" | "POST";
  /** Relative to the /api prefix, in Functions route syntax. */
  route: string;
  handler: HttpHandler;
}

export function httpRoutes(deps: DepsProvider): RouteSpec[] {
  return [
    { name: "intent", method: "POST", route: "intent", handler: intentHandler(deps) },
    { name: "runStatus", method: "GET", route: "runs/{runId}", handler: runStatusHandler(deps) },
    { name: "health", method: "GET", route: "health", handler: healthHandler() },
  ];
}
