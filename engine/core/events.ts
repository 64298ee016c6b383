/** Structured events; fields must never hold a secret or a payload dump. */
export type EventSink = (event: string, fields: Record<string, unknown>) => void;

/** The levels the Functions logger (and Application Insights' severityLevel) knows. */
export type Severity = "debug" | "info" | "warning" | "error";

/**
 * Events that need attention, at the level alerts and log filters look for; every other event is
 * information. `error`: something failed that nobody retries (a handler could not start, a queue
 * message was given up, a notification could not be queued, a failure report could not be sent).
 * `warning`: handled, but worth a look (a lease lost to another instance, a run that failed).
 */
const SEVERITY: Readonly<Record<string, Severity>> = {
  error: "error",
  poison: "error",
  notification_queue_failed: "error",
  subscriptions_failed: "error",
  report_failed: "error",
  "console.error": "error",
  lease_lost: "warning",
  catalog_snapshot_stale: "warning",
  lease_renew_failed: "warning",
  run_index_failed: "warning",
  retry_copy_failed: "warning",
  health_note_failed: "warning",
  notifications_missed: "warning",
  notification_rejected: "warning",
  lifecycle_unknown_subscription: "warning",
  trigger_render_failed: "warning",
  "graph.retry": "warning",
  "graph.batch.retry": "warning",
};

/** The level an event is written at: its own, a failed or partial result's warning, else info. */
export function severityOf(event: string, fields: Record<string, unknown>): Severity {
  const fixed = SEVERITY[event];
  if (fixed) return fixed;
  if (event === "result" && (fields.status === "failed" || fields.status === "partial")) return "warning";
  if (event === "subscriptions_reconciled" && Array.isArray(fields.failed) && fields.failed.length > 0) return "error";
  if (event === "notification" && fields.sent === false) return "warning";
  return "info";
}

/**
 * Structured events as one JSON object per log line, which Application Insights keeps whole and
 * KQL reads with parse_json(message), written at the event's severity. Callers pass identifiers
 * and counts only, never payloads.
 */
export function jsonEventSink(write: (line: string, severity: Severity) => void, base: Record<string, unknown> = {}): EventSink {
  return (event, fields) => {
    write(JSON.stringify({ event, ...base, ...fields }), severityOf(event, fields));
  };
}
