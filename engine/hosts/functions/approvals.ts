/**
 * Approvals in the Function App: the timer that expires overdue approvals and queues again the
 * continuation of an approved run that lost it. (The page and its form are HTTP routes in ./routes.ts.)
 */
import "./telemetry-start";
import { app } from "@azure/functions";
import { processDeps } from "../compose/from-settings";
import { APPROVAL_SWEEP_SCHEDULE, approvalSweepHandler } from "./approval-handlers";

export const sweepApprovals = approvalSweepHandler(processDeps);

app.timer("sweepApprovals", { schedule: APPROVAL_SWEEP_SCHEDULE, runOnStartup: false, handler: sweepApprovals });
