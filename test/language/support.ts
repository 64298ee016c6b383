/** Engine services whose Graph kinds are answered for every request (or batch item) from a list, in order. */
import { automationClientFromSettings } from "../../engine/clients/arm";
import type { GraphClient, GraphResponse } from "../../engine/clients/graph/types";
import { builtinKinds } from "../../engine/kinds";
import type { EngineServices } from "../../engine/runtime/types";

export function offlineServices(answers: Array<{ status: number; body: unknown }>): EngineServices {
  const queue = [...answers];
  const next = (): GraphResponse => ({ headers: {}, attempts: 1, ...(queue.shift() ?? { status: 500, body: null }) }) as GraphResponse;
  const graph: GraphClient = {
    request: async () => next(),
    batch: async (requests) => requests.map(() => next()),
    getAll: async () => ({ items: [], attempts: 1, pages: 1 }),
  };
  const kinds = builtinKinds({ graph, automation: automationClientFromSettings({}) });
  return { kinds, clock: { now: () => 0, sleep: async () => undefined }, settings: {}, events: () => undefined };
}
