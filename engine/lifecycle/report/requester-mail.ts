/**
 * The mail to the requester when a run that answered 202 ends or is decided: the end-user
 * sentence, the ticket number, nothing else. Plain text, so no markup can come in with a value.
 */
import { reportRedactor } from "./wording";
import type { MailContent, ReportState, StateReport } from "./types";

/** A 202 run's end, its decision or its cancellation; waiting states are what the requester was already told. */
export const MAILED_STATES: ReadonlySet<ReportState> = new Set(["succeeded", "partial", "failed", "denied", "expired", "cancelled"]);

export function requesterMail(report: StateReport): MailContent {
  const mask = reportRedactor(report.secretValues);
  const name = report.run.contactName.trim();
  const text = [
    name ? `Hello ${name},` : "Hello,",
    "",
    mask.mask(report.message),
    "",
    `Ticket #${report.run.ticketId} (${mask.mask(report.run.intentName)}). Reply to the helpdesk if anything is not as expected.`,
  ].join("\n");
  return { to: report.run.contactEmail, subject: mask.mask(`Your request: ${report.run.intentName} (ticket #${report.run.ticketId})`), text };
}
