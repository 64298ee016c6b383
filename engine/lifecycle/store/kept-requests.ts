/**
 * A sealed copy of the mapped input of each run that ended failed or partial, so an operator can
 * retry it from the console: a retried run needs its secret fields again, and they are never in the
 * run record. Sealed like a continuation message (AES-256-GCM under a key derived from the shared
 * secret), so storage tools see only ciphertext and a rotation of the secret makes old copies
 * unreadable (the retry is then refused with the reason). One row per run (PK runId), its text
 * split over parts; dropped once a retried run succeeds.
 */
import type { TableClient } from "@azure/data-tables";
import { IntentError } from "../../core/errors";
import { seal, unseal } from "../continue/sealing";
import type { RunInput } from "../execute/run-input";
import { storageStatus, storeError } from "./tables";
import { asParts, partsOf, splitText } from "./table-text";

export const KEPT_REQUESTS_TABLE = "intentrunrequests";
const ROW = "webhook";

interface KeptRow {
  partitionKey: string;
  rowKey: string;
  parts: number;
  [part: `part${number}`]: string;
}

export interface KeptRequestStore {
  keep(runId: string, input: RunInput): Promise<void>;
  /** The run's input, undefined when none is kept; RUN_NOT_RETRYABLE when the copy cannot be opened. */
  read(runId: string): Promise<RunInput | undefined>;
  forget(runId: string): Promise<void>;
}

export class TableKeptRequests implements KeptRequestStore {
  constructor(private readonly table: TableClient, private readonly sharedSecret: () => Promise<string>) {}

  async keep(runId: string, input: RunInput): Promise<void> {
    // Base64 text: one byte a character; what a 256 KiB webhook maps to fits in one row's parts.
    const parts = splitText(seal(input, await this.sharedSecret()));
    try {
      await this.table.upsertEntity({ partitionKey: runId, rowKey: ROW, parts: parts.length, ...asParts(parts) }, "Replace");
    } catch (error) {
      throw storeError("keep the request for a retry", error);
    }
  }

  async read(runId: string): Promise<RunInput | undefined> {
    let row: KeptRow;
    try {
      row = await this.table.getEntity<KeptRow>(runId, ROW);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read the kept request", error);
    }
    try {
      return unseal(partsOf(row, row.parts).join(""), await this.sharedSecret()) as RunInput;
    } catch (cause) {
      throw new IntentError("RUN_NOT_RETRYABLE", "The kept copy of this run's request could not be opened.", {
        cause, fix: "The shared secret changed since the run failed; send the request again from Thread.",
      });
    }
  }

  async forget(runId: string): Promise<void> {
    try {
      await this.table.deleteEntity(runId, ROW);
    } catch (error) {
      if (storageStatus(error) !== 404) throw storeError("drop the kept request", error);
    }
  }
}
