/** What every runbook in runbooks/ writes as its one JSON result line. */
export interface RunbookResult {
  status: "changed" | "ok" | "failed";
  reason: string;
  /** Runbook-specific facts (e.g. the groups a user was removed from). */
  [detail: string]: unknown;
}

const STATUSES = new Set(["changed", "ok", "failed"]);

/**
 * Finds the runbook's result in its output stream: the last line that is a JSON object with a
 * known `status`. Modules may print other lines first; prose is never interpreted.
 */
export function parseRunbookResult(output: string): RunbookResult | undefined {
  const lines = output.split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!.trim();
    if (!line.startsWith("{")) continue;
    const parsed = parseObject(line);
    if (parsed && typeof parsed.status === "string" && STATUSES.has(parsed.status)) {
      return { ...parsed, status: parsed.status as RunbookResult["status"], reason: typeof parsed.reason === "string" ? parsed.reason : "" };
    }
  }
  return undefined;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
