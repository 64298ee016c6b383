/**
 * Scheduled runs in the Function App: the timer that hands every due wake-up (a start date, a
 * step's delay) to the continuation queue. Not at start: on Flex Consumption every scale-out is a
 * start, and a minute's wait is the contract anyway.
 */
import { app } from "@azure/functions";
import { processDeps } from "../compose/from-settings";
import { SCHEDULE_TIMER, scheduleTimerHandler } from "./schedule-handlers";

export const startScheduledRuns = scheduleTimerHandler(processDeps);

app.timer("startScheduledRuns", { schedule: SCHEDULE_TIMER, runOnStartup: false, handler: startScheduledRuns });
