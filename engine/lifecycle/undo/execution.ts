/**
 * The engine with snapshot and undo. A live run of an intent that declares a snapshot or an undo
 * records its snapshot before its first write; a run whose context names the run it undoes
 * (`run.undoOf`) runs that intent's undo instead, against the tenant as it is now, from what the
 * run recorded and did. Everything else passes through unchanged.
 */
import { IntentError } from "../../core/errors";
import { createRedactor, maskableSecret } from "../../core/redaction";
import type { CompiledIntent, CompiledUndo } from "../../language/spec/types";
import type { ExecuteOptions } from "../../runtime/interpreter";
import type { Clock, RunResult, SnapshotRecorder, UndoContext } from "../../runtime/types";
import type { RunRecord, RunStore } from "../store/types";
import type { EngineIntent, IntentEngine } from "../types";
import { noticeScope, renderNotices } from "./notices";
import { originalOf } from "./original";
import type { RunSnapshot, SnapshotStore } from "./types";

const DAY_MS = 86_400_000;

/** Where an undo finds what it reverses. */
export interface UndoSources {
  runs: Pick<RunStore, "get">;
  snapshots: SnapshotStore;
  clock: Clock;
}

export interface UndoStores extends UndoSources {
  /** How long a snapshot is kept (SNAPSHOT_RETENTION_DAYS). */
  retentionDays: number;
}

/** The compiled intent behind an engine intent, when the engine is the catalogue's. */
function compiled(intent: EngineIntent): CompiledIntent | undefined {
  return "plan" in intent ? (intent as unknown as CompiledIntent) : undefined;
}

export function undoOf(intent: EngineIntent): CompiledUndo | undefined {
  return compiled(intent)?.undo;
}

function records(intent: CompiledIntent): boolean {
  return intent.plan.snapshot.length > 0 || intent.undo !== undefined;
}

/** The fields a snapshot keeps: every one but the secret ones. */
function recordedFields(intent: CompiledIntent, fields: Record<string, unknown>): Record<string, unknown> {
  const secret = new Set(intent.fields.filter((field) => field.secret).map((field) => field.variable));
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !secret.has(name)));
}

export function snapshotRecorder(stores: UndoStores, intent: CompiledIntent, options: ExecuteOptions): SnapshotRecorder {
  return {
    async record(values) {
      const secrets = intent.fields.filter((field) => field.secret).map((field) => options.fields[field.variable]);
      const redactor = createRedactor(secrets.filter((value): value is string => typeof value === "string" && maskableSecret(value)));
      const takenAt = stores.clock.now();
      const target = intent.target === undefined ? undefined : options.fields[intent.target];
      await stores.snapshots.save({
        runId: options.run.runId, intentName: intent.name, ...(typeof target === "string" && target ? { target } : {}),
        takenAt: new Date(takenAt).toISOString(), expiresAt: new Date(takenAt + stores.retentionDays * DAY_MS).toISOString(),
        fields: redactor.mask(recordedFields(intent, options.fields)), values: redactor.mask(values),
      });
    },
  };
}

function refuse(code: "UNDO_NOT_DECLARED" | "UNDO_RUN_IN_PROGRESS" | "UNDO_NO_SNAPSHOT" | "UNDO_SNAPSHOT_EXPIRED" | "RUN_NOT_FOUND", message: string, fix: string): IntentError {
  return new IntentError(code, message, { fix });
}

/** What an undo of `runId` needs, or the reason there can be none. */
export async function undoSource(stores: UndoSources, intent: EngineIntent, runId: string): Promise<{ undo: CompiledUndo; record: RunRecord; snapshot: RunSnapshot; context: UndoContext }> {
  const undo = undoOf(intent);
  const source = compiled(intent);
  if (!undo || !source) throw refuse("UNDO_NOT_DECLARED", `${intent.name} declares no undo.`, "Reverse the change by hand, or give the intent an undo: section.");
  const [record, snapshot] = await Promise.all([stores.runs.get(runId), stores.snapshots.read(runId)]);
  if (!record) throw refuse("RUN_NOT_FOUND", "No run has this id.", "Use the runId the run answered with.");
  if (record.status === "running") throw refuse("UNDO_RUN_IN_PROGRESS", "The run is still in progress; it can be undone once it has ended.", "Wait for the run to end, then ask again.");
  if (!snapshot) throw refuse("UNDO_NO_SNAPSHOT", "The run recorded no snapshot (it changed nothing, or ran before its intent declared one).", "Reverse the change by hand.");
  if (Date.parse(snapshot.expiresAt) <= stores.clock.now()) {
    throw refuse("UNDO_SNAPSHOT_EXPIRED", `The run's snapshot expired at ${snapshot.expiresAt}.`, "Reverse the change by hand; SNAPSHOT_RETENTION_DAYS sets how long snapshots are kept.");
  }
  return { undo, record, snapshot, context: { snapshot: snapshot.values, original: originalOf(record, source) } };
}

/** Runs the undo of `run.undoOf` (live, or as a dry run: the plan) and says what it could not or would not reverse. */
export async function executeUndo<I extends EngineIntent>(engine: IntentEngine<I>, stores: UndoSources, intent: I, options: ExecuteOptions): Promise<RunResult> {
  const runId = options.run.undoOf ?? "";
  const { undo, snapshot, context } = await undoSource(stores, intent, runId);
  const mode = options.mode ?? "live";
  if (mode === "live") await stores.snapshots.linkUndo(runId, options.run.runId, new Date(stores.clock.now()).toISOString());
  const settings = options.services.settings;
  const irreversible = renderNotices(undo.irreversible, noticeScope(undo.intent, snapshot.fields, options.run, settings, context));
  // A step read earlier by requester policy belongs to the intent, not to its undo; nothing is recorded.
  const { prefetched: _prefetched, snapshots: _snapshots, ...rest } = options as ExecuteOptions & { prefetched?: unknown };
  const result = await engine.execute(undo.intent as unknown as I, { ...rest, fields: snapshot.fields, undo: context });
  const changedSince = renderNotices(undo.changedSince, noticeScope(undo.intent, snapshot.fields, options.run, settings, context, result));
  return { ...result, undo: { of: runId, irreversible, changedSince } };
}

/** The engine port with snapshot and undo around its execute. */
export function withUndo<I extends EngineIntent>(engine: IntentEngine<I>, stores: UndoStores): IntentEngine<I> {
  // Everything but execute is the engine's own, looked up when called (not copied now).
  const wrapped: IntentEngine<I> = Object.create(engine) as IntentEngine<I>;
  return Object.assign(wrapped, {
    execute: (intent: I, options: ExecuteOptions): Promise<RunResult> => {
      if (options.run.undoOf) return executeUndo(engine, stores, intent, options);
      const source = compiled(intent);
      const live = (options.mode ?? "live") === "live" && !options.offline;
      if (!source || !live || !records(source) || options.snapshots) return engine.execute(intent, options);
      return engine.execute(intent, { ...options, snapshots: snapshotRecorder(stores, source, options) });
    },
  });
}
