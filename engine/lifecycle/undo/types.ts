/** The shapes of snapshot and undo: what a run records, what an undo plan shows, what an undo reports. */
import type { SnapshotValues } from "../../runtime/types";

/** How long a snapshot is kept unless SNAPSHOT_RETENTION_DAYS says otherwise. */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 90;

/** What a run recorded before it changed anything. */
export interface RunSnapshot {
  runId: string;
  /** The intent's canonical name. */
  intentName: string;
  /** The value of the intent's target field, when it has one. */
  target?: string;
  takenAt: string;
  /** After this (ISO time) the snapshot is gone: an undo then answers UNDO_SNAPSHOT_EXPIRED. */
  expiresAt: string;
  /** The fields the run ran with, secret ones left out. */
  fields: Record<string, unknown>;
  values: SnapshotValues;
}

export interface SnapshotStore {
  save(snapshot: RunSnapshot): Promise<void>;
  read(runId: string): Promise<RunSnapshot | undefined>;
  /** Records that `undoRunId` undid (part of) `runId`. */
  linkUndo(runId: string, undoRunId: string, at: string): Promise<void>;
  undoRuns(runId: string): Promise<string[]>;
  /** Deletes the snapshots that expired before `now` (ISO); how many. */
  purgeExpired(now: string): Promise<number>;
}

/** One change an undo would make, as a person reads it. */
export interface PlannedChange {
  step: string;
  /** The step's description, or its id. */
  what: string;
  /** What would be sent, as `intents plan` shows it (one entry per item of a for-each step). */
  requests: unknown[];
}

/** What an undo (or its plan) says besides its steps. */
export interface UndoNotices {
  /** What the run changed that no step restores. */
  irreversible: string[];
  /** What someone changed since the run: left as it is. */
  changedSince: string[];
}

/** The compensating plan of a run, against the tenant as it is now. */
export interface UndoPlan extends UndoNotices {
  runId: string;
  intentName: string;
  /** When the run's snapshot is deleted. */
  expiresAt: string;
  changes: PlannedChange[];
  /** True when nothing is left to reverse (everything is as before, or changed since by someone else). */
  nothingToUndo: boolean;
  /** Undo runs already made of this run. */
  undoneBy: string[];
  /** One line per change, notice and irreversible change: what a person reads (console, CLI). */
  lines: string[];
}
