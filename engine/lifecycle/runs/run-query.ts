/**
 * "Which runs…" answered from the run index (../store/run-index.ts). A query reads one partition:
 * the most selective filter given (ticket, then target, requester, intent, status; else every run)
 * over the RowKey range its time range is, newest first. Any other filters are checked on the
 * summaries read, with a read budget per page so a rare combination cannot scan a whole partition
 * in one request: the page then comes back short, with a continuation token where it stopped.
 *
 * Cost, in entities read: a page of N with one filter (or none) reads N + 1 (the one more tells
 * whether there is a next page); with more filters, the chosen partition's entities in FILTERED_PAGE
 * batches (one request each) until N + 1 matched, at most SCAN_BUDGET.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { IntentError } from "../../core/errors";
import { keyValue, partitionKey, timeKey, type IndexDimension, type IndexEntity, type RunSummary } from "../store/run-index";
import { storeError } from "../store/tables";
import type { RunningRuns } from "../continue/types";

export type FilterDimension = Exclude<IndexDimension, "all">;

export interface RunFilter {
  status?: string;
  intent?: string;
  ticket?: string;
  requester?: string;
  target?: string;
  /** Epoch ms, inclusive: runs created at or after. */
  from?: number;
  /** Epoch ms, inclusive: runs created at or before. */
  to?: number;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass back as `after` for the next page; absent on the last page. */
  next?: string;
  cost: {
    /** The index partition read: all, status, intent, ticket, requester or target. */
    partition: IndexDimension;
    entitiesRead: number;
    /** Round trips to the Table service. */
    requests: number;
  };
}

export const MAX_PAGE_SIZE = 100;
/** Entities one page may read when filters beyond the partition's own must be checked. */
export const SCAN_BUDGET = 1_000;
/**
 * Entities asked for per round trip when other filters must be checked. A Table request is billed
 * as one transaction however many entities it returns: fewer, larger requests cost less than
 * asking for exactly the page, at the price of re-reading the rest of the batch on the next page.
 */
export const FILTERED_PAGE = 200;

/** Most selective first: a ticket has a handful of runs, a status may have most of them. */
const SELECTIVITY: readonly FilterDimension[] = ["ticket", "target", "requester", "intent", "status"];

const SUMMARY_FIELD: Readonly<Record<FilterDimension, keyof RunSummary>> = {
  status: "status", intent: "intentName", ticket: "ticketId", requester: "requester", target: "target",
};

const TOKEN_PATTERN = /^\d{13}-[0-9a-z]{1,64}$/;

export function continuationToken(rowKey: string): string {
  return Buffer.from(`v1:${rowKey}`, "utf8").toString("base64url");
}

/** The RowKey a token continues after; CONSOLE_QUERY_INVALID for anything we did not issue. */
export function rowKeyAfter(token: string): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  const rowKey = text.startsWith("v1:") ? text.slice(3) : "";
  if (!TOKEN_PATTERN.test(rowKey)) {
    throw new IntentError("CONSOLE_QUERY_INVALID", "The continuation token is not one this list issued.", {
      fix: "Start again from the first page.", details: [{ parameter: "next", message: "not a token this list issued" }],
    });
  }
  return rowKey;
}

function chosenDimension(filter: RunFilter): FilterDimension | undefined {
  return SELECTIVITY.find((dimension) => filter[dimension] !== undefined && filter[dimension] !== "");
}

/** PartitionKey and RowKey bounds: the time range, and where the previous page stopped. */
function queryFilter(partition: string, filter: RunFilter, after: string | undefined): string {
  let text = odata`PartitionKey eq ${partition}`;
  if (after !== undefined) text += odata` and RowKey gt ${after}`;
  // A newer run has a smaller key: `to` bounds the keys from below, `from` from above.
  if (filter.to !== undefined) text += odata` and RowKey ge ${timeKey(filter.to)}`;
  if (filter.from !== undefined) text += odata` and RowKey lt ${`${timeKey(filter.from)}~`}`;
  return text;
}

function matcher(filter: RunFilter, chosen: FilterDimension | undefined): (summary: RunSummary) => boolean {
  const checks = SELECTIVITY.filter((dimension) => dimension !== chosen && filter[dimension] !== undefined && filter[dimension] !== "")
    .map((dimension) => {
      const wanted = keyValue(filter[dimension] as string);
      return (summary: RunSummary) => keyValue(String(summary[SUMMARY_FIELD[dimension]] ?? "")) === wanted;
    });
  return (summary) => checks.every((check) => check(summary));
}

function summaryOfEntity(entity: IndexEntity): RunSummary {
  const { partitionKey: _pk, rowKey: _rk, ...rest } = entity as IndexEntity & { etag?: string; timestamp?: string };
  delete (rest as { etag?: string }).etag;
  delete (rest as { timestamp?: string }).timestamp;
  return rest;
}

export async function listRuns(table: TableClient, filter: RunFilter, pageSize: number, after?: string, budget = SCAN_BUDGET): Promise<RunPage> {
  const chosen = chosenDimension(filter);
  const partition = chosen ? partitionKey(chosen, filter[chosen]) : partitionKey("all");
  const matches = matcher(filter, chosen);
  const filtered = SELECTIVITY.some((dimension) => dimension !== chosen && filter[dimension]);
  const cost: RunPage["cost"] = { partition: chosen ?? "all", entitiesRead: 0, requests: 0 };
  const found: Array<{ rowKey: string; summary: RunSummary }> = [];
  let lastExamined: string | undefined;
  let more = false;
  try {
    const pages = table.listEntities<IndexEntity>({ queryOptions: { filter: queryFilter(partition, filter, after) } })
      .byPage({ maxPageSize: filtered ? Math.min(FILTERED_PAGE, budget) : pageSize + 1 });
    for await (const page of pages) {
      cost.requests++;
      // Everything the service sent counts, examined or not: that is what the page cost.
      cost.entitiesRead += page.length;
      for (const entity of page) {
        lastExamined = entity.rowKey;
        const summary = summaryOfEntity(entity);
        if (matches(summary)) found.push({ rowKey: entity.rowKey, summary });
        if (found.length > pageSize) break;
      }
      more = found.length > pageSize || Boolean(page.continuationToken);
      if (found.length > pageSize || cost.entitiesRead >= budget) break;
    }
  } catch (error) {
    throw storeError("list runs", error);
  }
  const runs = found.slice(0, pageSize);
  let next: string | undefined;
  if (found.length > pageSize) next = continuationToken(runs[runs.length - 1]!.rowKey);
  else if (more && lastExamined !== undefined) next = continuationToken(lastExamined);
  return { runs: runs.map((entry) => entry.summary), ...(next ? { next } : {}), cost };
}

/** Runs a page of the run index lists as `running`, for the abandoned-run sweep (continue/abandoned.ts). */
export function runningRunsOf(table: TableClient, pageSize = MAX_PAGE_SIZE): RunningRuns {
  return {
    async page(createdBy, after) {
      const page = await listRuns(table, { status: "running", to: createdBy }, pageSize, after === undefined ? undefined : rowKeyAfter(after));
      return { runIds: page.runs.map((run) => run.runId), ...(page.next ? { next: page.next } : {}) };
    },
  };
}
