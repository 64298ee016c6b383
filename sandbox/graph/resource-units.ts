/**
 * The identity service's resource-unit cost of a request (reference §9), sent as
 * `x-ms-resource-unit` so clients and benchmarks can see what a call would cost against the limit.
 */
import type { GraphCall } from "./types";

export function resourceUnits(call: Pick<GraphCall, "method" | "path" | "query">): number {
  if (call.method !== "GET") return 1;
  const path = call.path.replace(/\/+$/, "").toLowerCase();
  let cost = path === "/users" ? 2 : path === "/subscribedskus" ? 3 : 1;
  if (call.query.has("$select")) cost -= 1;
  if (call.query.has("$expand")) cost += 1;
  const top = Number(call.query.get("$top"));
  if (call.query.has("$top") && top < 20) cost -= 1;
  return Math.max(1, cost);
}
