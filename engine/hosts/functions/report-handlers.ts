/** The report outbox's handlers as plain factories: the Function App registers them, `npm start` runs them. */
import type { InvocationContext } from "@azure/functions";
import { handleReportMessage, sweepOutbox, type DeliverDeps } from "../../lifecycle/report";
import { eventsFor } from "./adapt";

export type ReportDepsProvider = () => Promise<DeliverDeps>;

/** Every five minutes: rows whose queue message was lost are queued again. */
export const REPORT_SWEEP_SCHEDULE = "0 */5 * * * *";

export function reportQueueHandler(deps: ReportDepsProvider) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    await handleReportMessage(await deps(), message, eventsFor(context));
  };
}

export function reportSweepHandler(deps: ReportDepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<void> => {
    await sweepOutbox(await deps(), eventsFor(context));
  };
}
