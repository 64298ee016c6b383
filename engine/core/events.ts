import type { EventSink } from "../runtime/types";

/**
 * Structured events as one JSON object per log line, which Application Insights keeps whole and
 * KQL reads with parse_json(message). Callers pass identifiers and counts only, never payloads.
 */
export function jsonEventSink(write: (line: string) => void, base: Record<string, unknown> = {}): EventSink {
  return (event, fields) => {
    write(JSON.stringify({ event, ...base, ...fields }));
  };
}
