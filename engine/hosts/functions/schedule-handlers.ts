/** Scheduled runs' handlers as plain factories: the Function App registers them (./schedule.ts), `npm start` runs them. */
import { startDueRuns } from "../../lifecycle/schedule/tick";
import { eventsFor, inInvocation, type DepsProvider } from "./adapt";
import type { TimerHandler } from "./invoke";

/** Every minute, on the minute: a run starts within a minute of its time. */
export const SCHEDULE_TIMER = "0 * * * * *";

export function scheduleTimerHandler(deps: DepsProvider): TimerHandler {
  return async (_timer, context) => inInvocation(context, async () => startDueRuns(await deps(), eventsFor(context)));
}
