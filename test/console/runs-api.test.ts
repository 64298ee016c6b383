/**
 * `GET /api/runs` over real HTTP on `npm start`'s stack, its Azurite holding 2,000 indexed runs:
 * each filter as a technician types it in the URL (an intent's alias, a requester in capitals, a
 * date without a time), paging by the `next` token the answer gives until there is none, every
 * matching run once, newest first, and each page's stated cost (entities read) what the README
 * says: N + 1 for a page of N from one partition, within the scan budget when filters combine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_INDEX_TABLE } from "../../engine/lifecycle/store/run-index";
import { FILTERED_PAGE, SCAN_BUDGET } from "../../engine/lifecycle/runs/run-query";
import { openTable } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { seedIndex, syntheticRuns, type SeededRun } from "./support/seed-runs";
import { startConsoleStack, type ConsoleSession, type ConsoleStack } from "./support/stack";

const RUNS = 2_000;
// One run a minute from 08:00 on 1 January: 960 that day, 1,040 on the 2nd.
const START = Date.parse("2025-01-01T08:00:00Z");
const runs = syntheticRuns(RUNS, START);
const newestFirst = [...runs].sort((a, b) => b.createdMs - a.createdMs);

let azurite: RunningAzurite;
let env: ConsoleStack;
let session: ConsoleSession;

beforeAll(async () => {
  azurite = await startTestAzurite();
  const index = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, RUN_INDEX_TABLE);
  await seedIndex(index, runs);
  env = await startConsoleStack({ AzureWebJobsStorage: azurite.connectionString });
  session = await env.signIn();
}, 120_000);

afterAll(async () => {
  await env?.close();
  await azurite?.close();
});

interface Page {
  runs: Array<{ runId: string }>;
  next?: string;
  cost: { partition: string; entitiesRead: number; requests: number };
}

/** Every page of a list, as the page's "Older runs" button asks for them: the query again plus `next`. */
async function walk(query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined;
  do {
    const answer = await env.call(`/api/runs?${query}${next ? `&next=${encodeURIComponent(next)}` : ""}`, { session });
    expect(answer.status, answer.body?.message).toBe(200);
    pages.push(answer.body as Page);
    next = answer.body.next;
  } while (next !== undefined && pages.length < 100);
  return pages;
}

const ids = (pages: Page[]) => pages.flatMap((page) => page.runs.map((run) => run.runId));
const expected = (predicate: (run: SeededRun) => boolean) => newestFirst.filter(predicate).map((run) => run.runId);

describe("GET /api/runs over 2,000 runs", () => {
  it("pages through every run newest first: 20 pages of 100, 101 entities read each but the last", async () => {
    const pages = await walk("pageSize=100");
    expect(ids(pages)).toEqual(expected(() => true));
    expect(pages.map((page) => page.cost.entitiesRead)).toEqual([...Array.from({ length: 19 }, () => 101), 100]);
    expect(pages.every((page) => page.cost.partition === "all" && page.cost.requests === 1)).toBe(true);
    expect(pages.at(-1)!.next).toBeUndefined();
  });

  it.each([
    ["status=failed", "status", (run: SeededRun) => run.status === "failed"],
    // An alias finds the canonical name's runs.
    ["intent=Reset%20Password", "intent", (run: SeededRun) => run.intentName === "Password Reset"],
    ["ticket=5042", "ticket", (run: SeededRun) => run.ticketId === "5042"],
    ["requester=REQUESTER7%40Contoso.com", "requester", (run: SeededRun) => run.requester === "requester7@contoso.com"],
    ["target=user13%40contoso.com", "target", (run: SeededRun) => run.target === "user13@contoso.com"],
  ] as const)("%s reads the %s partition only: each page costs what it returns + 1", async (query, partition, predicate) => {
    const pages = await walk(`${query}&pageSize=50`);
    const want = expected(predicate);
    expect(want.length).toBeGreaterThan(10);
    expect(ids(pages)).toEqual(want);
    for (const page of pages) {
      expect(page.cost.partition).toBe(partition);
      expect(page.cost.entitiesRead).toBe(page.runs.length + (page.next ? 1 : 0));
    }
  });

  it("a date range is one RowKey range: from=to=2025-01-02 is that whole day, 1,040 runs, nothing either side", async () => {
    const pages = await walk("from=2025-01-02&to=2025-01-02&pageSize=100");
    const dayStart = Date.parse("2025-01-02T00:00:00Z");
    const want = expected((run) => run.createdMs >= dayStart && run.createdMs < dayStart + 86_400_000);
    expect(want).toHaveLength(1_040);
    expect(ids(pages)).toEqual(want);
    expect(pages.map((page) => page.cost.entitiesRead)).toEqual([...Array.from({ length: 10 }, () => 101), 40]);
  });

  it("combines filters on the most selective partition, each page within the scan budget", async () => {
    const pages = await walk(`status=failed&intent=Disable%20Account&from=2025-01-01T20:00:00Z&to=2025-01-02T12:00:00Z&pageSize=10`);
    const from = Date.parse("2025-01-01T20:00:00Z");
    const to = Date.parse("2025-01-02T12:00:00Z");
    const want = expected((run) => run.status === "failed" && run.intentName === "User Offboarding" && run.createdMs >= from && run.createdMs <= to);
    expect(want.length).toBeGreaterThan(10);
    expect(ids(pages)).toEqual(want);
    for (const page of pages) {
      expect(page.cost.partition).toBe("intent");
      expect(page.cost.entitiesRead).toBeLessThanOrEqual(SCAN_BUDGET);
    }
    // Every entity read is one of the intent's runs inside the range (the range bounds the RowKeys
    // the service reads): a page asks for up to FILTERED_PAGE of them in one request and checks
    // status on each; the next page reads on from its last run.
    const inRange = runs.filter((run) => run.intentName === "User Offboarding" && run.createdMs >= from && run.createdMs <= to).length;
    for (const page of pages) {
      expect(page.cost.entitiesRead).toBeLessThanOrEqual(Math.min(inRange, page.cost.requests * FILTERED_PAGE));
    }
    expect(pages[0]!.cost).toEqual({ partition: "intent", entitiesRead: inRange, requests: 1 });
  });

  it("refuses a continuation token it did not issue, naming next", async () => {
    for (const token of ["not-a-token", Buffer.from("v1:' or 1 eq 1").toString("base64url"), Buffer.from("v1:0000000000000-x' or PartitionKey ne 'a").toString("base64url")]) {
      const answer = await env.call(`/api/runs?next=${encodeURIComponent(token)}`, { session });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: "CONSOLE_QUERY_INVALID", details: [{ parameter: "next" }] });
    }
  });
});
