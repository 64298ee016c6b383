/**
 * Scheduled work: one row per run that waits for a time (its start date or a step's delay), read by
 * a timer every minute. The row is only the wake-up; the run record stays the truth about the run
 * (a row whose run has moved on wakes nothing), so rows and records never need to change together.
 */
import type { IntentError } from "../../core/errors";
import type { RunInput } from "../execute/run-input";

export interface ScheduledWake {
  runId: string;
  ticketId: string;
  intentName: string;
  /** The step that runs at that time. */
  step: string;
  /** ISO 8601 in the tenant's time zone, as the run's answer gives it. */
  at: string;
  /** Epoch ms. */
  due: number;
  /** True while nothing of the run has happened yet: a newer request for the ticket and intent replaces it. */
  start: boolean;
  /** What the continuation resumes from. */
  input: RunInput;
}

/** A row as read back: with its version, and a problem when its sealed secret fields cannot be opened. */
export interface StoredWake extends ScheduledWake {
  etag: string;
  problem?: IntentError;
}

/** A pending run as the console lists it: no field values, no secrets. */
export type ScheduledRunSummary = Omit<ScheduledWake, "input">;

export interface ScheduleStore {
  /** Writes (or replaces) a run's wake-up. */
  put(wake: ScheduledWake): Promise<void>;
  /** Wake-ups due at `now`, earliest first, at most `limit`. */
  due(now: number, limit: number): Promise<StoredWake[]>;
  /** Claims a due wake-up for one instance: it comes due again at `retryAt` unless removed; undefined when another instance took it. */
  take(wake: StoredWake, retryAt: number): Promise<StoredWake | undefined>;
  /** Removes a wake-up (only the version read, when `etag` is given); a missing one is no error. */
  remove(runId: string, etag?: string): Promise<void>;
  get(runId: string): Promise<StoredWake | undefined>;
  /** Every pending wake-up, of one ticket when given. */
  list(ticketId?: string): Promise<StoredWake[]>;
}

/** Why a scheduled run was cancelled, for its record and the requester's sentence. */
export type CancelReason = "requested" | "replaced";
