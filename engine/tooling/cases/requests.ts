/**
 * The requests a case sent, read from the sandbox log in a form a case file can state: Graph paths
 * without `/v1.0`, Automation paths shortened to `/automation/…`, the Exchange admin API's to
 * `/exchange/InvokeCommand`, `$batch` envelopes left out
 * (their items are listed, marked `batched`).
 */
import type { RequestLogEntry } from "../../../sandbox";
import type { GraphRequest } from "../../clients/graph/types";
import { equalProblem, show } from "./compare";
import type { ExpectedRequest } from "./types";

export interface SentRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  batched: boolean;
}

const AUTOMATION_PREFIX = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Automation\/automationAccounts\/[^/]+/i;
const EXCHANGE_PREFIX = /^\/adminapi\/beta\/[^/]+/i;

/** Percent-decoded per segment, so a case reads `/users/jane@contoso.com` (a `/` inside a segment stays encoded). */
function decodePath(path: string): string {
  return path.split("/").map((segment) => decodeURIComponent(segment).replace(/\//g, "%2F")).join("/");
}

export function sentRequests(log: RequestLogEntry[]): SentRequest[] {
  return log
    .filter((entry) => !/^\/v1\.0\/\$batch$/.test(entry.path))
    .map((entry) => {
      const path = decodePath(entry.path.replace(/^\/v1\.0/, "").replace(AUTOMATION_PREFIX, "/automation").replace(EXCHANGE_PREFIX, "/exchange"));
      const query = { ...entry.query };
      if (path.startsWith("/automation")) delete query["api-version"];
      return { method: entry.method, path, query, body: entry.body, status: entry.status, batched: entry.batch !== undefined };
    });
}

/**
 * The requests requester policy sent, told apart from the intent's own: a case states what its
 * intent sends, and the policy's reads are the deployment's, checked by the policy's own tests.
 */
export function splitPolicyRequests(sent: SentRequest[], policy: readonly GraphRequest[]): { intentRequests: SentRequest[]; policyRequests: SentRequest[] } {
  // Every sending counts (a throttled read is sent again); the policy's reads differ from any intent's by their $select.
  const key = (method: string, path: string, query: Record<string, string>) => `${method} ${path} ${JSON.stringify(Object.entries(query).sort())}`;
  const wanted = new Set(policy.map((request) => key(request.method, decodePath(request.path), request.query ?? {})));
  const intentRequests: SentRequest[] = [];
  const policyRequests: SentRequest[] = [];
  for (const request of sent) (wanted.has(key(request.method, request.path, request.query)) ? policyRequests : intentRequests).push(request);
  return { intentRequests, policyRequests };
}

function normalise(expected: ExpectedRequest | string): ExpectedRequest {
  if (typeof expected !== "string") return expected;
  const [method = "", ...rest] = expected.split(" ");
  return { method, path: rest.join(" ") };
}

/** A `*` segment in an expected path stands for one id the sandbox made up (a new user's id). */
function samePath(expected: string, actual: string): boolean {
  const want = expected.split("/");
  const got = actual.split("/");
  return want.length === got.length && want.every((segment, i) => segment === "*" || segment === got[i]);
}

export function requestProblems(expectedList: Array<ExpectedRequest | string>, sent: SentRequest[]): string[] {
  const problems: string[] = [];
  const line = (r: SentRequest): string => `${r.method} ${r.path} → ${r.status}`;
  if (expectedList.length !== sent.length) {
    problems.push(`requests: expected ${expectedList.length}, sent ${sent.length}: ${sent.map(line).join(" | ")}`);
  }
  expectedList.forEach((raw, i) => {
    const expected = normalise(raw);
    const actual = sent[i];
    const where = `requests[${i}]`;
    if (!actual) return void problems.push(`${where}: expected ${expected.method} ${expected.path}, nothing was sent`);
    if (actual.method !== expected.method || !samePath(expected.path, actual.path)) {
      return void problems.push(`${where}: expected ${expected.method} ${expected.path}, sent ${line(actual)}`);
    }
    if (expected.query !== undefined) problems.push(...equalProblem(`${where}.query`, expected.query, actual.query));
    if (expected.body !== undefined) problems.push(...equalProblem(`${where}.body`, expected.body, actual.body));
    if (expected.status !== undefined) problems.push(...equalProblem(`${where}.status`, expected.status, actual.status));
    if (expected.batched !== undefined && expected.batched !== actual.batched) {
      problems.push(`${where}: expected ${expected.batched ? "inside" : "outside"} a $batch, got ${show(actual.batched)}`);
    }
  });
  return problems;
}
