/**
 * Reporting back in the Function App: the queue trigger that delivers each outbox row (PSA note,
 * requester mail, outbound webhook) and the timer that requeues rows whose message was lost.
 */
import { app } from "@azure/functions";
import { REPORT_QUEUE } from "../../lifecycle/report";
import { processReporting } from "../compose/from-settings";
import { REPORT_SWEEP_SCHEDULE, reportQueueHandler, reportSweepHandler } from "./report-handlers";

export const deliverReport = reportQueueHandler(processReporting);
export const sweepReports = reportSweepHandler(processReporting);

app.storageQueue("deliverReport", { queueName: REPORT_QUEUE, connection: "AzureWebJobsStorage", handler: deliverReport });
app.timer("sweepReports", { schedule: REPORT_SWEEP_SCHEDULE, handler: sweepReports });
