/**
 * The run index against Azurite with 3,000 runs: each filter reads one partition, a page of N costs
 * N + 1 entities read (N + 1 tells whether there is more), paging by continuation token visits every
 * matching run once, newest first, and combined filters stay within the scan budget.
 */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns, rowKeyAfter, SCAN_BUDGET, type RunFilter, type RunPage } from "../../engine/lifecycle/runs/run-query";
import { openTable } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { seedIndex, syntheticRuns, type SeededRun } from "./support/seed-runs";

const RUNS = 3_000;
const START = Date.parse("2026-09-01T08:00:00Z");
let azurite: RunningAzurite;
let table: TableClient;
const runs: SeededRun[] = syntheticRuns(RUNS, START);
const newestFirst = [...runs].sort((a, b) => b.createdMs - a.createdMs);

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "queryrunindex");
  await seedIndex(table, runs);
}, 120_000);

afterAll(async () => {
  await azurite?.close();
});

/** Every page of a query, following continuation tokens. */
async function allPages(filter: RunFilter, pageSize: number, budget?: number): Promise<RunPage[]> {
  const pages: RunPage[] = [];
  let after: string | undefined;
  do {
    const page = await listRuns(table, filter, pageSize, after, budget);
    pages.push(page);
    after = page.next === undefined ? undefined : rowKeyAfter(page.next);
  } while (after !== undefined && pages.length < 200);
  return pages;
}

function expected(predicate: (run: SeededRun) => boolean): string[] {
  return newestFirst.filter(predicate).map((run) => run.runId);
}

describe("listRuns over 3,000 indexed runs", () => {
  it("pages through every run newest first, 51 entities read per page of 50", async () => {
    const pages = await allPages({}, 50);
    expect(pages.flatMap((page) => page.runs.map((run) => run.runId))).toEqual(expected(() => true));
    expect(pages).toHaveLength(60);
    for (const page of pages.slice(0, -1)) expect(page.cost).toEqual({ partition: "all", entitiesRead: 51, requests: 1 });
    // The last page has no 51st entity to read.
    expect(pages.at(-1)!.cost.entitiesRead).toBe(50);
    expect(pages.at(-1)!.next).toBeUndefined();
  });

  it.each([
    ["status", { status: "failed" }, (run: SeededRun) => run.status === "failed"],
    ["intent", { intent: "password reset" }, (run: SeededRun) => run.intentName === "Password Reset"],
    ["ticket", { ticket: "5007" }, (run: SeededRun) => run.ticketId === "5007"],
    ["requester", { requester: " Requester3@Contoso.com " }, (run: SeededRun) => run.requester === "requester3@contoso.com"],
    ["target", { target: "user42@contoso.com" }, (run: SeededRun) => run.target === "user42@contoso.com"],
  ] as const)("finds runs by %s from its own partition, reading only what it returns (+1)", async (dimension, filter, predicate) => {
    const want = expected(predicate);
    const pages = await allPages(filter, 50);
    expect(pages.flatMap((page) => page.runs.map((run) => run.runId))).toEqual(want);
    for (const page of pages) {
      expect(page.cost.partition).toBe(dimension);
      expect(page.cost.entitiesRead).toBe(page.runs.length + (page.next ? 1 : 0));
    }
  });

  it("answers a time range from one RowKey range: only runs created inside it, both ends included", async () => {
    const from = START + 1_000 * 60_000;
    const to = START + 1_099 * 60_000;
    const page = await listRuns(table, { from, to }, 100);
    expect(page.runs.map((run) => run.runId)).toEqual(expected((run) => run.createdMs >= from && run.createdMs <= to));
    expect(page.runs).toHaveLength(100);
    expect(page.next).toBeUndefined();
    expect(page.cost.entitiesRead).toBe(100);
  });

  it("combines filters on the most selective partition, checking the rest on what it reads", async () => {
    const filter = { status: "failed", intent: "User Offboarding", from: START + 500 * 60_000 };
    const want = expected((run) => run.status === "failed" && run.intentName === "User Offboarding" && run.createdMs >= filter.from);
    const pages = await allPages(filter, 20);
    expect(pages.flatMap((page) => page.runs.map((run) => run.runId))).toEqual(want);
    for (const page of pages) {
      expect(page.cost.partition).toBe("intent");
      expect(page.cost.entitiesRead).toBeLessThanOrEqual(SCAN_BUDGET);
    }
  });

  it("returns a short page with a token when the scan budget runs out before the page fills", async () => {
    // Partial runs of one requester are rare: their partition (150 runs) is read a budget (60) at a time.
    const filter = { requester: "requester0@contoso.com", status: "partial" };
    const want = expected((run) => run.requester === "requester0@contoso.com" && run.status === "partial");
    const pages = await allPages(filter, 100, 60);
    expect(pages.flatMap((page) => page.runs.map((run) => run.runId))).toEqual(want);
    expect(pages.map((page) => page.cost.entitiesRead)).toEqual([60, 60, 30]);
    expect(pages.slice(0, 2).every((page) => page.next !== undefined && page.runs.length < 100)).toBe(true);
  });

  it("refuses a continuation token it did not issue", async () => {
    expect(() => rowKeyAfter("not-a-token")).toThrow(expect.objectContaining({ code: "CONSOLE_QUERY_INVALID" }));
    expect(() => rowKeyAfter(Buffer.from("v1:' or 1 eq 1", "utf8").toString("base64url"))).toThrow(expect.objectContaining({ code: "CONSOLE_QUERY_INVALID" }));
  });
});
