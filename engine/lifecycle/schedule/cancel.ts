/**
 * Cancelling a run that waits for its time: the run is claimed with its lease (so a wake-up racing
 * the cancel either finds it cancelled or has already started it, never both) and recorded as
 * `cancelled` with what it had done; then its wake-up is removed. A run that has started is not
 * scheduled any more and is left alone. The cancellation is reported before it is recorded (the
 * ticket's "scheduled" note would otherwise stand); a cancel asked for reaches the requester, a
 * replacement does not (they have just asked again).
 */
import { inFullWords } from "../../language/time/words";
import type { EventSink, RunContext, RunResult } from "../../runtime/types";
import type { RunRecord } from "../store/types";
import type { PipelineDeps } from "../types";
import type { CancelReason, ScheduledRunSummary } from "./types";

export type CancelOutcome =
  | { kind: "cancelled"; record: RunRecord; already?: boolean }
  /** The run is not waiting for a time: it is running, or it has ended. */
  | { kind: "not_scheduled"; record: RunRecord }
  | { kind: "not_found" };

const MESSAGES: Record<CancelReason, string> = {
  requested: "This scheduled request was cancelled; nothing more of it will happen.",
  replaced: "This scheduled request was replaced by a newer one for the same ticket.",
};

/** The technician's sentences: why it will not happen, and what was waiting (as the scheduled note said it). */
function detailOf(record: RunRecord, reason: CancelReason, replacedBy: string | undefined, timeZone: string): string {
  const why = reason === "replaced" ? `Replaced by a newer request for the same ticket${replacedBy ? ` (run ${replacedBy})` : ""}.` : "Cancelled on request.";
  const waiting = record.result?.schedule;
  if (!waiting) return why;
  const what = (record.result?.steps.length ?? 0) === 0 ? "The run was to start" : `The step ${waiting.step} was to run`;
  return `${why} ${what} on ${inFullWords(Date.parse(waiting.at), timeZone)}.`;
}

function contextOf(record: RunRecord): RunContext {
  return { runId: record.runId, ticketId: record.ticketId, intentName: record.intentName, contactName: record.requesterName ?? "", contactEmail: record.requester ?? "", companyName: "" };
}

export async function cancelScheduledRun(deps: PipelineDeps, runId: string, reason: CancelReason, events: EventSink, replacedBy?: string): Promise<CancelOutcome> {
  const resumed = await deps.store.resume(runId, ["scheduled"]);
  if (!resumed) return { kind: "not_found" };
  if (resumed.kind !== "claimed") {
    if (resumed.record.status === "cancelled") return { kind: "cancelled", record: resumed.record, already: true };
    return { kind: "not_scheduled", record: resumed.record };
  }
  const { lease } = resumed;
  const before = lease.record.result;
  const result: RunResult = { status: "cancelled", message: MESSAGES[reason], steps: before?.steps ?? [], ...(before?.schedule ? { schedule: before.schedule } : {}) };
  // Recorded steps and messages are masked already; the sealed input is not opened for a cancel.
  await deps.reporter.report({
    state: "cancelled", run: contextOf(lease.record), message: result.message, steps: result.steps, secretValues: [],
    accepted: reason === "requested", detail: detailOf(lease.record, reason, replacedBy, deps.settings.timeZone),
  }, events);
  const record = await lease.finish(result);
  if (lease.lost) {
    const now = await deps.store.get(runId);
    return now ? { kind: "not_scheduled", record: now } : { kind: "not_found" };
  }
  await deps.schedules.remove(runId);
  events("cancelled", { runId, reason, intentName: record.intentName, ticketId: record.ticketId, ...(before?.schedule ? { step: before.schedule.step, at: before.schedule.at } : {}) });
  return { kind: "cancelled", record };
}

export interface PendingQuery {
  ticketId: string;
  /** Canonical intent name; absent = every intent of the ticket. */
  intentName?: string;
  /** Keep this run (the request that replaces the others). */
  except?: string;
  /** Only runs of which nothing has happened yet. */
  notStarted?: boolean;
}

/** Cancels a ticket's scheduled runs; returns the ones cancelled here. */
export async function cancelPending(deps: PipelineDeps, query: PendingQuery, reason: CancelReason, events: EventSink): Promise<ScheduledRunSummary[]> {
  const wakes = await deps.schedules.list(query.ticketId);
  const cancelled: ScheduledRunSummary[] = [];
  for (const wake of wakes) {
    if (wake.runId === query.except) continue;
    if (query.intentName !== undefined && wake.intentName !== query.intentName) continue;
    if (query.notStarted && !wake.start) continue;
    const outcome = await cancelScheduledRun(deps, wake.runId, reason, events, query.except);
    if (outcome.kind === "cancelled" && !outcome.already) cancelled.push(summaryOf(wake));
  }
  return cancelled;
}

export function summaryOf(wake: ScheduledRunSummary): ScheduledRunSummary {
  const { runId, ticketId, intentName, step, at, due, start } = wake;
  return { runId, ticketId, intentName, step, at, due, start };
}

/** Every run waiting for its time, earliest first: for the console (no field values, no secrets). */
export async function listScheduled(deps: PipelineDeps, ticketId?: string): Promise<ScheduledRunSummary[]> {
  return (await deps.schedules.list(ticketId)).map(summaryOf);
}
