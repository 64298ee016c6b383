/** The console's contracts: a transport-neutral request and answer, and what its handlers call. */
import type { TableClient } from "@azure/data-tables";
import type { Actor, ConsoleAudit } from "../../lifecycle/runs/audit";
import type { RetryDeps } from "../../lifecycle/runs/retry";
import type { ThrottlingLog } from "../../lifecycle/runs/throttling-log";
import type { Clock } from "../../runtime/types";
import type { ConsoleAuthSettings } from "./auth/settings";
import type { SignInCodes } from "./auth/sign-in-codes";
import type { ConsolePorts } from "./ports";

export interface ConsoleRequest {
  method: string;
  /** The full URL, for the scheme (Secure cookies) and the query. */
  url: string;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface ConsoleAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body (API) … */
  json?: Record<string, unknown>;
  /** … or text (the page, its assets), with `headers["content-type"]`. */
  text?: string;
}

export interface PoisonQueue {
  name: string;
  /** Messages waiting in it (the service's approximate count). */
  count(): Promise<number>;
}

/** The catalogue as the console's filters need it. */
export interface IntentNames {
  /** Canonical names, sorted. */
  names(): string[];
  /** The canonical name for a name or alias (the index holds canonical names). */
  canonical(name: string): string | undefined;
}

export interface ConsoleDeps {
  auth: ConsoleAuthSettings;
  intents: IntentNames;
  sharedSecret: () => Promise<string>;
  clock: Clock;
  /** The run index (lifecycle/store/run-index.ts). */
  index: TableClient;
  retry: RetryDeps;
  audit: ConsoleAudit;
  throttling: ThrottlingLog;
  poisonQueues: PoisonQueue[];
  /** Local development only: the one-time links `npm start` prints. */
  signInCodes?: SignInCodes;
  ports: ConsolePorts;
}

export type { Actor };
