/**
 * Scheduled wake-ups on Azure Tables (table `intentschedule`, PK run id, RK "wake"), so a wait of
 * any length outlives every process and the 7-day visibility limit of a queue message. The table
 * holds only pending wake-ups, so the timer's filter on the due time reads little. The run's input
 * is kept as JSON, its secret fields apart and sealed: a rotation of the shared secret then only
 * reaches runs that have secret fields, not every scheduled offboarding.
 */
import { odata, type TableClient } from "@azure/data-tables";
import { IntentError } from "../../core/errors";
import { seal, unseal } from "../continue/sealing";
import type { RunInput } from "../execute/run-input";
import { asciiJson } from "../store/summarise";
import { storageStatus, storeError } from "../store/tables";
import { asParts, partsOf, PARTS_PER_ROW, splitText } from "../store/table-text";
import type { ScheduledWake, ScheduleStore, StoredWake } from "./types";

export const SCHEDULE_TABLE = "intentschedule";
const WAKE_ROW = "wake";

interface WakeEntity {
  partitionKey: string;
  rowKey: string;
  ticketId: string;
  intentName: string;
  step: string;
  at: string;
  /** Epoch ms as 15 digits: compared as text by the timer's filter, which any number type would not survive. */
  due: string;
  start: boolean;
  /** The secret fields sealed, or "". */
  secrets: string;
  /** The input without its secret values, as ASCII JSON over `part0`…. */
  parts: number;
  etag?: string;
  [part: `part${number}`]: string;
}

interface SealedSecrets {
  fields: Record<string, unknown>;
  secretValues: string[];
}

function dueKey(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, "0");
}

/** The input with the values of secret fields taken out, and those values apart (to be sealed). */
function splitSecrets(input: RunInput): { plain: RunInput; secrets?: SealedSecrets } {
  if (input.secretValues.length === 0) return { plain: input };
  const plainFields: Record<string, unknown> = {};
  const secretFields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.fields)) {
    if (typeof value === "string" && input.secretValues.includes(value)) secretFields[name] = value;
    else plainFields[name] = value;
  }
  return { plain: { ...input, fields: plainFields, secretValues: [] }, secrets: { fields: secretFields, secretValues: [...input.secretValues] } };
}

export class TableScheduleStore implements ScheduleStore {
  constructor(private readonly table: TableClient, private readonly sealKey: () => Promise<string>) {}

  async put(wake: ScheduledWake): Promise<void> {
    const { plain, secrets } = splitSecrets(wake.input);
    const parts = splitText(asciiJson(plain));
    if (parts.length > PARTS_PER_ROW) throw new IntentError("STORE_ERROR", "The run's input is too large to schedule.", { fix: "Send fewer or shorter fields." });
    const entity: WakeEntity = {
      partitionKey: wake.runId, rowKey: WAKE_ROW, ticketId: wake.ticketId, intentName: wake.intentName, step: wake.step, at: wake.at,
      due: dueKey(wake.due), start: wake.start, secrets: secrets ? seal(secrets, await this.sealKey()) : "", parts: parts.length, ...asParts(parts),
    };
    try {
      await this.table.upsertEntity(entity, "Replace");
    } catch (error) {
      throw storeError("schedule the run", error);
    }
  }

  async due(now: number, limit: number): Promise<StoredWake[]> {
    const rows = await this.query(odata`due le ${dueKey(now)}`);
    rows.sort((a, b) => a.due - b.due);
    return rows.slice(0, limit);
  }

  async take(wake: StoredWake, retryAt: number): Promise<StoredWake | undefined> {
    try {
      const response = await this.table.updateEntity({ partitionKey: wake.runId, rowKey: WAKE_ROW, due: dueKey(retryAt) }, "Merge", { etag: wake.etag });
      return { ...wake, etag: response.etag ?? wake.etag };
    } catch (error) {
      const status = storageStatus(error);
      if (status === 412 || status === 404) return undefined;
      throw storeError("take a scheduled run", error);
    }
  }

  async remove(runId: string, etag?: string): Promise<void> {
    try {
      await this.table.deleteEntity(runId, WAKE_ROW, etag ? { etag } : {});
    } catch (error) {
      const status = storageStatus(error);
      if (status !== 404 && status !== 412) throw storeError("remove a scheduled run", error);
    }
  }

  async get(runId: string): Promise<StoredWake | undefined> {
    try {
      return await this.stored(await this.table.getEntity<WakeEntity>(runId, WAKE_ROW));
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read a scheduled run", error);
    }
  }

  async list(ticketId?: string): Promise<StoredWake[]> {
    const rows = await this.query(ticketId === undefined ? "" : odata`ticketId eq ${ticketId}`);
    return rows.sort((a, b) => a.due - b.due);
  }

  private async query(filter: string): Promise<StoredWake[]> {
    const rows: StoredWake[] = [];
    try {
      const listed = this.table.listEntities<WakeEntity>(filter ? { queryOptions: { filter } } : {});
      for await (const entity of listed) if (entity.rowKey === WAKE_ROW) rows.push(await this.stored(entity));
    } catch (error) {
      throw storeError("read the scheduled runs", error);
    }
    return rows;
  }

  private async stored(entity: WakeEntity): Promise<StoredWake> {
    const input = JSON.parse(partsOf(entity, entity.parts).join("")) as RunInput;
    const wake: StoredWake = {
      runId: entity.partitionKey, ticketId: entity.ticketId, intentName: entity.intentName, step: entity.step, at: entity.at,
      due: Number(entity.due), start: entity.start === true, input, etag: entity.etag ?? "",
    };
    if (!entity.secrets) return wake;
    try {
      const secrets = unseal(entity.secrets, await this.sealKey()) as SealedSecrets;
      wake.input = { ...input, fields: { ...input.fields, ...secrets.fields }, secretValues: secrets.secretValues };
    } catch (thrown) {
      wake.problem = thrown instanceof IntentError ? thrown : new IntentError("RUN_ABANDONED", "The scheduled run's secret fields could not be opened.");
    }
    return wake;
  }
}
