/** `GET /api/runs` query parameters → a run filter, a page size and a continuation; each refusal names its parameter. */
import { IntentError } from "../../../core/errors";
import { MAX_PAGE_SIZE, rowKeyAfter, type RunFilter } from "../../../lifecycle/runs/run-query";

export const DEFAULT_PAGE_SIZE = 50;

export interface RunListQuery {
  filter: RunFilter;
  pageSize: number;
  after?: string;
}

interface Problem {
  parameter: string;
  message: string;
}

const TEXT_LIMITS: Readonly<Record<"intent" | "requester" | "target", number>> = { intent: 200, requester: 320, target: 1024 };

function time(value: string, parameter: string, problems: Problem[]): number | undefined {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) problems.push({ parameter, message: "must be an ISO 8601 date or date-time, e.g. 2026-12-18 or 2026-12-18T17:00:00Z" });
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function parseRunListQuery(params: URLSearchParams): RunListQuery {
  const problems: Problem[] = [];
  const filter: RunFilter = {};
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const status = text("status");
  if (status !== undefined) {
    if (/^[a-z_]{1,32}$/.test(status)) filter.status = status;
    else problems.push({ parameter: "status", message: "must be a run status such as failed, partial, succeeded, running" });
  }
  const ticket = text("ticket");
  if (ticket !== undefined) {
    if (/^\d{1,18}$/.test(ticket)) filter.ticket = ticket;
    else problems.push({ parameter: "ticket", message: "must be a ticket number (digits only)" });
  }
  for (const name of ["intent", "requester", "target"] as const) {
    const value = text(name);
    if (value === undefined) continue;
    if (value.length <= TEXT_LIMITS[name]) filter[name] = value;
    else problems.push({ parameter: name, message: `must be at most ${TEXT_LIMITS[name]} characters` });
  }
  const from = text("from");
  const to = text("to");
  if (from !== undefined) {
    const value = time(from, "from", problems);
    if (value !== undefined) filter.from = value;
  }
  if (to !== undefined) {
    // A date alone means the whole of that day.
    const value = time(to, "to", problems);
    if (value !== undefined) filter.to = /^\d{4}-\d{2}-\d{2}$/.test(to) ? value + 86_399_999 : value;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) problems.push({ parameter: "from", message: "must not be after to" });
  let pageSize = DEFAULT_PAGE_SIZE;
  const size = text("pageSize");
  if (size !== undefined) {
    const parsed = Number(size);
    if (Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_PAGE_SIZE) pageSize = parsed;
    else problems.push({ parameter: "pageSize", message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
  }
  let after: string | undefined;
  const next = text("next");
  if (next !== undefined) {
    try {
      after = rowKeyAfter(next);
    } catch {
      problems.push({ parameter: "next", message: "is not a continuation token this list issued; start from the first page" });
    }
  }
  if (problems.length > 0) {
    throw new IntentError("CONSOLE_QUERY_INVALID", `Invalid run-list parameter(s): ${problems.map((p) => p.parameter).join(", ")}.`, {
      fix: "Correct the listed parameters.", details: problems,
    });
  }
  return { filter, pageSize, ...(after !== undefined ? { after } : {}) };
}
