/**
 * Undoing the most recent run of an intent that changed something for a target (what the
 * `undo:latest` kind asks for): find that run in the run index, newest first, and run the intent's
 * undo as part of the asking run, linked to the run it reverses.
 */
import type { TableClient } from "@azure/data-tables";
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../core/events";
import type { RunMode } from "../../core/step-kind";
import { listRuns } from "../runs/run-query";
import type { PipelineDeps } from "../types";

/** A run that changed something ends succeeded or partial; a failed run changed nothing. */
const CHANGED_SOMETHING = new Set(["succeeded", "partial"]);
/** Runs of one intent for one target read to find the latest that changed something. */
const CANDIDATES = 20;

export interface RunFinder {
  /** The most recent runs of `intent` (canonical name) for `target`, newest first. */
  latest(intent: string, target: string): Promise<Array<{ runId: string; status: string }>>;
}

/** The run index's target partition, filtered to the intent. */
export function indexRunFinder(index: TableClient): RunFinder {
  return {
    async latest(intent, target) {
      const page = await listRuns(index, { intent, target }, CANDIDATES);
      return page.runs.map((run) => ({ runId: run.runId, status: run.status }));
    },
  };
}

export interface LatestUndoRequest {
  /** The intent whose run is undone, by name or alias. */
  intent: string;
  /** The value of that intent's target field. */
  target: string;
  /** The run asking: the undo runs as part of it. */
  runId: string;
  mode: RunMode;
}

export interface LatestUndo {
  /** False when no run of the intent changed anything for the target. */
  found: boolean;
  undoOf?: string;
  /** `nothing_to_undo` when everything was as before already. */
  status?: "succeeded" | "partial" | "failed" | "nothing_to_undo";
  message?: string;
  steps: Array<{ id: string; status: string }>;
  irreversible: string[];
  changedSince: string[];
  error?: { code: string; message: string };
}

function notFound(message: string): LatestUndo {
  return { found: false, steps: [], irreversible: [], changedSince: [], error: { code: "UNDO_NOTHING_FOUND", message } };
}

export async function undoLatest(deps: PipelineDeps, finder: RunFinder, request: LatestUndoRequest, events: EventSink): Promise<LatestUndo> {
  const intent = deps.engine.find(request.intent);
  if (!intent) throw new IntentError("INTENT_UNKNOWN", `No intent is named ${request.intent}.`, { fix: "Name an intent of the catalogue in the undo:latest step." });
  const latest = (await finder.latest(intent.name, request.target)).find((run) => CHANGED_SOMETHING.has(run.status));
  if (!latest) return notFound(`No ${intent.name} of ${request.target} that changed something was found.`);
  const run = { runId: request.runId, ticketId: "", intentName: `Undo ${intent.name}`, contactName: "", contactEmail: "", companyName: "", undoOf: latest.runId };
  let result;
  try {
    result = await deps.engine.execute(intent, { fields: {}, run, services: Object.assign({}, deps.services, { events }), mode: request.mode });
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    return { found: true, undoOf: latest.runId, status: "failed", steps: [], irreversible: [], changedSince: [], error: { code: error.code, message: error.message } };
  }
  const changed = result.steps.some((step) => step.status === "changed" || (step.items ?? []).some((item) => item.status === "changed"));
  // An undo that has not ended within this step (still running) is reported as partly done.
  const status = result.status === "succeeded" ? (changed ? "succeeded" : "nothing_to_undo") : result.status === "failed" ? "failed" : "partial";
  return {
    found: true, undoOf: latest.runId, status, message: result.message,
    steps: result.steps.map((step) => ({ id: step.id, status: step.status })),
    irreversible: result.undo?.irreversible ?? [], changedSince: result.undo?.changedSince ?? [],
    ...(result.error ? { error: { code: result.error.code, message: result.error.message } } : {}),
  };
}
