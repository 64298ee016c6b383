/** The abandoned-run sweep's timer handler as a plain factory: the Function App registers it (./abandoned-runs.ts), `npm start` runs it. */
import { sweepAbandonedRuns } from "../../lifecycle/continue/abandoned";
import { eventsFor, inInvocation, type DepsProvider } from "./adapt";
import type { TimerHandler } from "./invoke";

/** Every five minutes, half a minute past (clear of the other five-minute timers). */
export const ABANDONED_SWEEP_SCHEDULE = "30 */5 * * * *";

export function abandonedSweepHandler(deps: DepsProvider): TimerHandler {
  return async (_timer, context) => inInvocation(context, async () => sweepAbandonedRuns(await deps(), eventsFor(context)));
}
