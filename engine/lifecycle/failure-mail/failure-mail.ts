/**
 * The failure mail an engineer gets when a run fails or ends partial: what was asked, by whom, the
 * error code, message and suggested fix, and each step's outcome. Every value is HTML-escaped and
 * every secret masked; the intent's fields are not listed at all (they may hold secrets).
 */
import { createRedactor } from "../../core/redaction";
import type { RunContext, RunResult } from "../../runtime/types";

/** What a changed step whose first answer was lost says in the mail's message column. */
const LOST_ANSWER_NOTE = "Its first answer was lost; sent again, it was found done.";

export interface FailureMail {
  subject: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function row(label: string, value: string): string {
  return `<tr><th align="left" style="padding:4px 12px 4px 0">${label}</th><td style="padding:4px 0">${value}</td></tr>`;
}

export function buildFailureMail(run: RunContext, result: RunResult, secretValues: readonly string[], at: Date): FailureMail {
  const redactor = createRedactor(secretValues);
  // Mask before escaping: a secret is matched as the caller gave it, not in its escaped form.
  const clean = (value: string) => escapeHtml(redactor.mask(value));
  const error = result.error ?? result.steps.find((step) => step.error)?.error;
  const steps = result.steps
    .map((step) => `<tr><td>${clean(step.id)}</td><td>${clean(step.status)}</td><td>${clean(step.error?.code ?? "")}</td><td>${clean(step.error?.message ?? (step.answerLost ? LOST_ANSWER_NOTE : ""))}</td></tr>`)
    .join("");
  const requester = run.contactEmail ? `${run.contactName} (${run.contactEmail})` : run.contactName;
  const html = [
    `<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px">`,
    `<h2 style="color:#d13438">Intent ${clean(result.status)}: ${clean(run.intentName)}</h2>`,
    `<table>`,
    row("Time", clean(at.toISOString())),
    row("Ticket", `#${clean(run.ticketId)}`),
    row("Requested by", clean(requester)),
    row("Company", clean(run.companyName)),
    row("Run id", clean(run.runId)),
    row("Error code", clean(String(error?.code ?? ""))),
    row("Message", clean(error?.message ?? result.message)),
    `</table>`,
    `<p style="background:#fff4ce;border-left:4px solid #ffb900;padding:8px"><b>Suggested fix:</b> ${clean(error?.fix ?? "Review the run in Application Insights and send the request again from Thread.")}</p>`,
    steps ? `<table><tr><th>Step</th><th>Outcome</th><th>Code</th><th>Message</th></tr>${steps}</table>` : "",
    `</div>`,
  ].join("\n");
  const subject = redactor.mask(`[${result.status.toUpperCase()}] Thread Automation: ${run.intentName} - Ticket #${run.ticketId}`);
  return { subject, html };
}
