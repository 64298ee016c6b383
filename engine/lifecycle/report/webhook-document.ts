/**
 * The outbound webhook's JSON per state change, for Rewst, n8n, Power Automate or a PSA we do not
 * speak: ids, ticket, intent, state, the end-user message and each step's outcome, masked. `id` is
 * the same on every retry, so a receiver drops what it has seen.
 */
import { reportRedactor } from "./wording";
import type { StateReport, WebhookContent } from "./types";

export const WEBHOOK_EVENT_TYPE = "intent.run.state";

export function webhookContent(report: StateReport, occurredAt: string): WebhookContent {
  const redactor = reportRedactor(report.secretValues);
  const eventId = `${report.run.runId}:${report.state}`;
  const error = (e: StateReport["error"]) => (e ? { code: String(e.code), message: e.message, ...(e.fix ? { fix: e.fix } : {}) } : undefined);
  const document = redactor.mask({
    id: eventId,
    type: WEBHOOK_EVENT_TYPE,
    occurredAt,
    runId: report.run.runId,
    ticketId: report.run.ticketId,
    intent: report.run.intentName,
    status: report.state,
    message: report.message,
    steps: report.steps.map((step) => ({ id: step.id, kind: step.kind, status: step.status, ...(step.error ? { error: error(step.error) } : {}) })),
    ...(report.error ? { error: error(report.error) } : {}),
    ...(report.detail ? { detail: report.detail } : {}),
  });
  return { eventId, body: JSON.stringify(document) };
}
