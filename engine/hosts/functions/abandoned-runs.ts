/**
 * The abandoned-run sweep in the Function App: a timer that resumes runs left `running` by an
 * instance that stopped without a trace and with no continuation queued (README: Recovery guarantees).
 * Not at start: on Flex Consumption every scale-out is a start, and the grace period is minutes anyway.
 */
import "./telemetry-start";
import { app } from "@azure/functions";
import { processDeps } from "../compose/from-settings";
import { ABANDONED_SWEEP_SCHEDULE, abandonedSweepHandler } from "./abandoned-runs-handler";

export const sweepAbandonedRuns = abandonedSweepHandler(processDeps);

app.timer("sweepAbandonedRuns", { schedule: ABANDONED_SWEEP_SCHEDULE, runOnStartup: false, handler: sweepAbandonedRuns });
