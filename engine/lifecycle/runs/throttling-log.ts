/**
 * Graph throttling as the console's health panel shows it: one row per run that saw throttled
 * responses (429, or 503 which Graph also uses to shed load), written once when the run stops, so
 * a storm costs one write a run rather than one a response. Newest first (inverted-time row keys),
 * so "the last 24 hours" is one RowKey range.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import type { EventSink } from "../../runtime/types";
import { rowKey, timeKey } from "../store/run-index";
import { storeError } from "../store/tables";

export const HEALTH_TABLE = "intenthealth";
const THROTTLING = "throttling";
const READ_LIMIT = 500;

export interface ThrottleCounter {
  responses: number;
}

/** Counts throttled Graph answers from the client's events (retries, a final 429, batch items resubmitted). */
export function countThrottling(counter: ThrottleCounter): EventSink {
  return (event, fields) => {
    if ((event === "graph.retry" || event === "graph.request") && (fields.status === 429 || fields.status === 503)) counter.responses++;
    else if (event === "graph.batch.retry" && typeof fields.items === "number") counter.responses += fields.items;
  };
}

export interface ThrottleSummary {
  /** Throttled responses and the runs that saw them in the window. */
  responses: number;
  runs: number;
  lastAt?: string;
  lastRunId?: string;
  /** Rows read to answer (one per throttled run, at most READ_LIMIT). */
  entitiesRead: number;
}

export class ThrottlingLog {
  constructor(private readonly table: TableClient) {}

  async note(runId: string, intentName: string, responses: number, at: number): Promise<void> {
    try {
      await this.table.upsertEntity({ partitionKey: THROTTLING, rowKey: rowKey(at, runId), runId, intentName, responses, at: new Date(at).toISOString() }, "Replace");
    } catch (error) {
      throw storeError("note Graph throttling", error);
    }
  }

  async since(from: number): Promise<ThrottleSummary> {
    const summary: ThrottleSummary = { responses: 0, runs: 0, entitiesRead: 0 };
    try {
      const rows = this.table.listEntities<{ runId: string; responses: number; at: string }>({
        queryOptions: { filter: odata`PartitionKey eq ${THROTTLING} and RowKey lt ${`${timeKey(from)}~`}` },
      });
      for await (const row of rows) {
        summary.entitiesRead++;
        summary.runs++;
        summary.responses += Number(row.responses) || 0;
        if (!summary.lastAt) Object.assign(summary, { lastAt: row.at, lastRunId: row.runId });
        if (summary.entitiesRead >= READ_LIMIT) break;
      }
    } catch (error) {
      throw storeError("read Graph throttling", error);
    }
    return summary;
  }
}
