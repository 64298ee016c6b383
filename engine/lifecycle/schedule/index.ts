/** Scheduled runs: start dates and step delays held in Azure Tables, woken by a timer, cancelled or moved. */
export { admitStart, PAST_GRACE_MS, type Admitted } from "./admit";
export { cancelPending, cancelScheduledRun, listScheduled, type CancelOutcome, type PendingQuery } from "./cancel";
export { holdRun } from "./hold";
export { replaceEarlierSchedules } from "./replace";
export { SCHEDULE_TABLE, TableScheduleStore } from "./table-store";
export { HANDOFF_RETRY_MS, startDueRuns, type TickOutcome } from "./tick";
export type { CancelReason, ScheduledRunSummary, ScheduledWake, ScheduleStore, StoredWake } from "./types";
export { scheduledRunsPort, type CancelledSummary } from "./port";
