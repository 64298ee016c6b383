/**
 * What the `schedule:cancel` step kind calls: a ticket's scheduled runs cancelled through this
 * lifecycle. The kinds are composed before the pipeline they cancel in (the catalogue is compiled
 * against them), so the pipeline is looked up when a step runs, not when the port is made.
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { cancelPending } from "./cancel";

export interface CancelledSummary {
  runId: string;
  intentName: string;
  at: string;
}

export function scheduledRunsPort(pipeline: () => PipelineDeps | undefined) {
  return {
    /** Undefined when `intent` names no intent. */
    async cancel(request: { ticketId: string; intent?: string }, events: EventSink): Promise<CancelledSummary[] | undefined> {
      const deps = pipeline();
      if (!deps) throw new IntentError("INTERNAL", "Scheduled runs were asked to cancel before the pipeline was composed.");
      const intent = request.intent === undefined ? undefined : deps.engine.find(request.intent);
      if (request.intent !== undefined && !intent) return undefined;
      const cancelled = await cancelPending(deps, { ticketId: request.ticketId, ...(intent ? { intentName: intent.name } : {}) }, "requested", events);
      return cancelled.map(({ runId, intentName, at }) => ({ runId, intentName, at }));
    },
  };
}
