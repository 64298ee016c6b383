/**
 * The compensating plan of a run: its intent's undo as a dry run against the tenant as it is now.
 * The undo's reads are sent (what is there now decides), its writes are planned and never sent;
 * what the run changed that nothing restores, and what someone changed since, come with it.
 */
import { IntentError } from "../../core/errors";
import type { CompiledStep } from "../../language/spec/types";
import type { EventSink, RunContext, StepResult } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { undoOf, undoSource, type UndoSources } from "./execution";
import type { PlannedChange, RunSnapshot, UndoPlan } from "./types";

/** What starting an undo needs besides the plan: the run's record and what it recorded. */
export interface PlannedUndo {
  plan: UndoPlan;
  intentName: string;
  ticketId: string;
  snapshot: RunSnapshot;
}

export function undoSourcesOf(deps: PipelineDeps): UndoSources {
  if (!deps.snapshots) throw new IntentError("UNDO_NOT_DECLARED", "This deployment keeps no snapshots, so no run can be undone.", { fix: "Compose the pipeline with its snapshot store." });
  return { runs: deps.store, snapshots: deps.snapshots, clock: deps.clock };
}

/** A request as one line: `PATCH /users/…`, `Set-Mailbox Identity=… Type=Regular`, or its JSON. */
export function requestLine(request: unknown): string {
  const value = (request ?? {}) as { method?: unknown; path?: unknown; cmdlet?: unknown; parameters?: unknown; body?: unknown };
  if (typeof value.method === "string" && typeof value.path === "string") {
    return `${value.method} ${value.path}${value.body === undefined ? "" : ` ${JSON.stringify(value.body)}`}`;
  }
  if (typeof value.cmdlet === "string") {
    const parameters = Object.entries((value.parameters ?? {}) as Record<string, unknown>).map(([name, v]) => `-${name} ${typeof v === "string" ? v : JSON.stringify(v)}`);
    return [value.cmdlet, ...parameters].join(" ");
  }
  return JSON.stringify(request);
}

function changeOf(step: CompiledStep | undefined, result: StepResult): PlannedChange {
  const requests = step?.forEach && Array.isArray(result.planned) ? result.planned : [result.planned];
  return { step: result.id, what: step?.description ?? result.id, requests };
}

export function planLines(plan: Pick<UndoPlan, "changes" | "irreversible" | "changedSince">): string[] {
  return [
    ...plan.changes.flatMap((change) => change.requests.map((request) => `${change.what}: ${requestLine(request)}`)),
    ...plan.changedSince.map((sentence) => `Left as it is: ${sentence}`),
    ...plan.irreversible.map((sentence) => `Not reversible: ${sentence}`),
  ];
}

export async function planUndo(deps: PipelineDeps, runId: string, events: EventSink): Promise<PlannedUndo> {
  const sources = undoSourcesOf(deps);
  const record = await deps.store.get(runId);
  if (!record) throw new IntentError("RUN_NOT_FOUND", "No run has this id.", { fix: "Use the runId the run answered with." });
  const intent = deps.engine.find(record.intentName);
  if (!intent || !undoOf(intent)) {
    throw new IntentError("UNDO_NOT_DECLARED", `${record.intentName} declares no undo.`, { fix: "Reverse the change by hand." });
  }
  const { snapshot } = await undoSource(sources, intent, runId);
  const run: RunContext = {
    runId: `plan-${runId}`, ticketId: record.ticketId, intentName: `Undo ${record.intentName}`, contactName: "", contactEmail: "", companyName: "", undoOf: runId,
  };
  const result = await deps.engine.execute(intent, { fields: snapshot.fields, run, services: Object.assign({}, deps.services, { events }), mode: "dry-run" });
  const failed = result.steps.find((step) => step.status === "failed");
  if (failed) {
    throw new IntentError("UNDO_PLAN_FAILED", `The tenant as it is now could not be read: ${failed.error?.message ?? `step ${failed.id} failed`}`, {
      retryable: true, fix: "Try again in a few minutes; nothing was changed.",
    });
  }
  const undoneBy = await sources.snapshots.undoRuns(runId);
  // Once an undo of this run succeeded, the snapshot no longer describes what the run left: the
  // tenant since then is the undo's doing or someone else's, and neither is this run's to reverse.
  const undone = await anySucceeded(deps, undoneBy);
  const steps = undoOf(intent)?.intent.plan.steps ?? [];
  const changes = undone ? [] : result.steps.filter((step) => step.planned !== undefined).map((step) => changeOf(steps.find((s) => s.id === step.id), step));
  const notices = { irreversible: result.undo?.irreversible ?? [], changedSince: undone ? [] : result.undo?.changedSince ?? [] };
  const plan: UndoPlan = {
    runId, intentName: record.intentName, expiresAt: snapshot.expiresAt, changes, ...notices,
    nothingToUndo: changes.every((change) => change.requests.length === 0),
    undoneBy,
    lines: planLines({ changes, ...notices }),
  };
  return { plan, intentName: record.intentName, ticketId: record.ticketId, snapshot };
}

async function anySucceeded(deps: PipelineDeps, runIds: readonly string[]): Promise<boolean> {
  for (const id of runIds) if ((await deps.store.get(id))?.status === "succeeded") return true;
  return false;
}

/** The lifecycle function the console and the HTTP API call: the plan alone. */
export async function computeUndoPlan(deps: PipelineDeps, runId: string, events: EventSink): Promise<UndoPlan> {
  return (await planUndo(deps, runId, events)).plan;
}
