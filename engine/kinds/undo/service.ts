/**
 * What the `undo:latest` step kind asks of the engine: undo the most recent run of an intent that
 * changed something for a target (a Reinstate User undoes the latest User Offboarding). The kind
 * owns this port and knows no store and no catalogue; the composition root adapts the undo
 * lifecycle (engine/lifecycle/undo/latest.ts) to it.
 */
import type { EventSink } from "../../core/events";
import type { RunMode } from "../../core/step-kind";

export interface UndoLatestRequest {
  /** The intent whose run is undone, by name or alias. */
  intent: string;
  /** The value of that intent's target field (a user's address). */
  target: string;
  /** The run asking: the undo is part of it and linked to the run it reverses. */
  runId: string;
  mode: RunMode;
}

export interface UndoLatestAnswer {
  /** False when no run of the intent changed anything for the target (or its snapshot is gone). */
  found: boolean;
  /** The run undone. */
  undoOf?: string;
  /** What the undo ended in; `nothing_to_undo` when everything was as before already. */
  status?: "succeeded" | "partial" | "failed" | "nothing_to_undo";
  message?: string;
  /** The undo's steps, as they ended. */
  steps: Array<{ id: string; status: string }>;
  irreversible: string[];
  changedSince: string[];
  /** Why it could not be undone, or why the undo failed. */
  error?: { code: string; message: string };
}

export interface UndoService {
  undoLatest(request: UndoLatestRequest, events: EventSink): Promise<UndoLatestAnswer>;
}
