/**
 * The operator console, composed over the pipeline's storage: the run index, the run store (for
 * its reopen), the kept requests, the action log, the throttling log and the poison queues the
 * Functions host fills. Approvals, scheduling and undo join through their ports when composed.
 */
import type { QueueClient } from "@azure/storage-queue";
import type { AppSettings } from "../config";
import { CONTINUATION_QUEUE } from "../../lifecycle/continue/continuation-queue";
import { REPORT_QUEUE } from "../../lifecycle/report";
import { CONSOLE_ACTIONS_TABLE, ConsoleAudit } from "../../lifecycle/runs/audit";
import { HEALTH_TABLE, ThrottlingLog } from "../../lifecycle/runs/throttling-log";
import { KEPT_REQUESTS_TABLE, TableKeptRequests } from "../../lifecycle/store/kept-requests";
import { RUN_INDEX_TABLE, TableRunIndex } from "../../lifecycle/store/run-index";
import { TableRunStore } from "../../lifecycle/store/table-run-store";
import { openTable, queueClient, storageStatus } from "../../lifecycle/store/tables";
import type { PipelineDeps } from "../../lifecycle/types";
import { undoOf } from "../../lifecycle/undo/execution";
import { NOTIFICATION_QUEUE } from "../../inbound/notifications/queue";
import { consoleAuthSettings } from "../../inbound/console/auth/settings";
import type { SignInCodes } from "../../inbound/console/auth/sign-in-codes";
import type { ConsolePorts } from "../../inbound/console/ports";
import type { ConsoleDeps, PoisonQueue } from "../../inbound/console/types";
import { RUNS_TABLE, STEPS_TABLE } from "./pipeline";

type Env = Readonly<Record<string, string | undefined>>;

/** What the run list can be filtered by: every intent, and `Undo <name>` (its undo runs' name) for each that declares an undo. */
function filterNames(engine: PipelineDeps["engine"]): string[] {
  const names = engine.supportedNames();
  const undoable = names.filter((name) => {
    const intent = engine.find(name);
    return intent !== undefined && undoOf(intent) !== undefined;
  });
  return [...names, ...undoable.map((name) => `Undo ${name}`)].sort();
}

export interface ConsoleParts {
  /** `npm start` only: the one-time sign-in links it prints. */
  signInCodes?: SignInCodes;
  ports?: ConsolePorts;
}

/** Where the Functions host moves a queue message after its last failed delivery. */
function poisonQueue(client: QueueClient, name: string): PoisonQueue {
  return {
    name,
    async count() {
      try {
        return (await client.getProperties()).approximateMessagesCount ?? 0;
      } catch (error) {
        if (storageStatus(error) === 404) return 0; // never created: nothing was ever poisoned
        throw error;
      }
    },
  };
}

export async function composeConsole(env: Env, settings: AppSettings, pipeline: PipelineDeps, parts: ConsoleParts = {}): Promise<ConsoleDeps> {
  const open = (name: string) => openTable(settings.storage, name);
  const [runs, steps, index, kept, actions, health] = await Promise.all([
    open(RUNS_TABLE), open(STEPS_TABLE), open(RUN_INDEX_TABLE), open(KEPT_REQUESTS_TABLE), open(CONSOLE_ACTIONS_TABLE), open(HEALTH_TABLE),
  ]);
  const clock = pipeline.clock;
  const store = new TableRunStore({ runs, steps: steps, clock, leaseMs: settings.leaseMs, index: new TableRunIndex(index), sealKey: pipeline.settings.sharedSecret });
  const audit = new ConsoleAudit(actions);
  const poisoned = [CONTINUATION_QUEUE, NOTIFICATION_QUEUE, REPORT_QUEUE].map((name) => `${name}-poison`);
  return {
    auth: consoleAuthSettings(env),
    intents: { names: () => filterNames(pipeline.engine), canonical: (name) => pipeline.engine.find(name)?.name },
    sharedSecret: pipeline.settings.sharedSecret,
    clock,
    index: index,
    retry: { store, kept: new TableKeptRequests(kept, pipeline.settings.sharedSecret), queue: pipeline.queue, audit, clock },
    audit,
    throttling: new ThrottlingLog(health),
    poisonQueues: poisoned.map((name) => poisonQueue(queueClient(settings.storage, name), name)),
    ...(parts.signInCodes ? { signInCodes: parts.signInCodes } : {}),
    ports: parts.ports ?? {},
  };
}
