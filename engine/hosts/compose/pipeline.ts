/**
 * The pipeline's half of the composition root: settings → storage (tables, queue) → run store →
 * notifier → pipeline dependencies. The engine, kinds, Graph client and clock are passed in, so
 * the Function App, the local server and the tests compose the same way with different tenants and clocks.
 */
import type { GraphClient } from "../../clients/graph/types";
import type { StepKindRegistry } from "../../core/step-kind-registry";
import type { AppSettings } from "../config";
import { GraphFailureNotifier, parseRecipients } from "../../lifecycle/failure-mail/graph-notifier";
import { MAX_BODY_BYTES } from "../../inbound/webhook/body";
import type { IntentEngine, PipelineDeps } from "../../lifecycle/types";
import type { Clock, SecretSettingsReader } from "../../runtime/types";
import { CONTINUATION_QUEUE, StorageContinuationQueue } from "../../lifecycle/continue/continuation-queue";
import { TableRunStore } from "../../lifecycle/store/table-run-store";
import { RUN_INDEX_TABLE, TableRunIndex } from "../../lifecycle/store/run-index";
import { KEPT_REQUESTS_TABLE, TableKeptRequests } from "../../lifecycle/store/kept-requests";
import { HEALTH_TABLE, ThrottlingLog } from "../../lifecycle/runs/throttling-log";
import { runningRunsOf } from "../../lifecycle/runs/run-query";
import { openQueue, openTable } from "../../lifecycle/store/tables";
import { silentReporter } from "../../lifecycle/report/reporter";
import type { RunReporter } from "../../lifecycle/report/types";
import { SCHEDULE_TABLE, TableScheduleStore } from "../../lifecycle/schedule/table-store";
import type { ApprovalDeps } from "../../lifecycle/approval/deps";
import { withUndo } from "../../lifecycle/undo/execution";
import { indexRunFinder } from "../../lifecycle/undo/latest";
import type { BoundUndoService } from "./undo-service";
import { TableSnapshotStore } from "../../lifecycle/undo/snapshot-store";

export const RUNS_TABLE = "intentruns";
export const STEPS_TABLE = "intentrunsteps";
export const SNAPSHOTS_TABLE = "intentrunsnapshots";
export const SNAPSHOT_ITEMS_TABLE = "intentrunsnapshotitems";

export interface HostParts {
  engine: IntentEngine;
  /** The kinds the engine's catalogue was compiled against, holding the clients they call. */
  kinds: StepKindRegistry;
  /** For the failure mail. */
  graph: GraphClient;
  clock: Clock;
  sharedSecret: () => Promise<string>;
  /** Values intents may read as `{{settings.NAME}}`. */
  intentSettings: Readonly<Record<string, string | undefined>>;
  /** Reporting back (./report.ts); none when the host reports nowhere. */
  reporter?: RunReporter;
  /** Secret settings intents declare, read as `{{secrets.NAME}}` where a step takes a secret. */
  intentSecrets?: SecretSettingsReader;
  /** Asking for approvals (./approvals.ts); none when approvals are off. */
  approvals?: ApprovalDeps;
  /** The undo:latest kind's service, bound here to the pipeline and the run index. */
  undo?: BoundUndoService;
}

export async function composePipeline(settings: AppSettings, parts: HostParts): Promise<PipelineDeps> {
  const [runs, steps, index, kept, health, queue, schedule, snapshotRows, snapshotItems] = await Promise.all([
    openTable(settings.storage, RUNS_TABLE),
    openTable(settings.storage, STEPS_TABLE),
    openTable(settings.storage, RUN_INDEX_TABLE),
    openTable(settings.storage, KEPT_REQUESTS_TABLE),
    openTable(settings.storage, HEALTH_TABLE),
    openQueue(settings.storage, CONTINUATION_QUEUE),
    openTable(settings.storage, SCHEDULE_TABLE),
    openTable(settings.storage, SNAPSHOTS_TABLE),
    openTable(settings.storage, SNAPSHOT_ITEMS_TABLE),
  ]);
  const store = new TableRunStore({ runs, steps, clock: parts.clock, leaseMs: settings.leaseMs, index: new TableRunIndex(index), sealKey: parts.sharedSecret });
  const snapshots = new TableSnapshotStore(snapshotRows, snapshotItems);
  const notifier = new GraphFailureNotifier(parts.graph, {
    mailbox: settings.notificationMailbox,
    recipients: parseRecipients(settings.notificationEmail),
  }, parts.clock);
  const deps: PipelineDeps = {
    engine: withUndo(parts.engine, { runs: store, snapshots, clock: parts.clock, retentionDays: settings.snapshotRetentionDays }),
    store,
    snapshots,
    queue: new StorageContinuationQueue(queue, parts.sharedSecret),
    notifier,
    reporter: parts.reporter ?? silentReporter,
    operator: { kept: new TableKeptRequests(kept, parts.sharedSecret), throttling: new ThrottlingLog(health) },
    schedules: new TableScheduleStore(schedule, parts.sharedSecret),
    runningRuns: runningRunsOf(index),
    ...(parts.approvals ? { approvals: parts.approvals } : {}),
    services: { kinds: parts.kinds, clock: parts.clock, settings: parts.intentSettings, ...(parts.intentSecrets ? { secrets: parts.intentSecrets } : {}) },
    clock: parts.clock,
    settings: {
      sharedSecret: parts.sharedSecret,
      maxBodyBytes: MAX_BODY_BYTES,
      bodyTimeoutMs: settings.bodyTimeoutMs,
      runBudgetMs: settings.runBudgetMs,
      continuationBudgetMs: settings.continuationBudgetMs,
      maxDequeueCount: settings.maxDequeueCount,
      heartbeatMs: Math.max(1_000, Math.floor(settings.leaseMs / 3)),
      timeZone: settings.calendar.timeZone,
      scheduleHorizonMs: settings.scheduleHorizonDays * 86_400_000,
      leaseMs: settings.leaseMs,
      abandonedGraceMs: settings.abandonedGraceMs,
      abandonedMaxTakeovers: settings.abandonedMaxTakeovers,
    },
  };
  parts.undo?.bind(deps, indexRunFinder(index));
  return deps;
}
