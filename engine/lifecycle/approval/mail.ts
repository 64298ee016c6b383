/**
 * The mail that asks one approver: who asked for what on which ticket, the plan as the list of
 * changes the page shows, why they are asked, and their own link (it works once, for them, until
 * it expires). Every value is HTML-escaped; the plan holds no secret (masked when it was made).
 */
import { mailAccepted, sendMailRequest } from "../../clients/graph/send-mail";
import type { GraphClient } from "../../clients/graph/types";
import { ensureIntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { escapeHtml } from "../failure-mail/failure-mail";
import { changeHeadline, diffLines, fieldLine, NO_CHANGE, unplannedLine } from "./plan/diff-text";
import type { ApprovalRecord, Approver } from "./types";

export interface ApprovalMail {
  subject: string;
  html: string;
  text: string;
}

function planHtml(record: ApprovalRecord): string {
  const { changes, unplanned } = record.plan;
  if (changes.length === 0 && unplanned.length === 0) return `<p>${escapeHtml(NO_CHANGE)}</p>`;
  const items = changes.map((change) => {
    const fields = change.fields.map((field) => `<li>${escapeHtml(fieldLine(field))}</li>`).join("");
    return `<li>${escapeHtml(changeHeadline(change))}${fields ? `<ul>${fields}</ul>` : ""}</li>`;
  });
  return `<ul>${[...items, ...unplanned.map((step) => `<li>${escapeHtml(unplannedLine(step))}</li>`)].join("")}</ul>`;
}

function asked(record: ApprovalRecord): string {
  const who = record.requester.name ? `${record.requester.name} (${record.requester.email})` : record.requester.email;
  return `${who} asked for ${record.intentName}${record.target ? ` for ${record.target}` : ""} on ticket #${record.ticketId}.`;
}

/** A run that waits for its time says when; the changes are checked against the tenant again then. */
function changesIntro(record: ApprovalRecord): string {
  const when = record.plan.startsAt?.words;
  return when
    ? `If it is approved, the automation makes these changes on ${when} (the tenant is read again then; if the changes would differ, you are asked again):`
    : "If it is approved, the automation makes these changes:";
}

export function approvalMail(record: ApprovalRecord, approver: Approver, link: string): ApprovalMail {
  const until = new Date(record.expiresAt).toUTCString();
  const subject = `Approval needed: ${record.intentName}${record.target ? ` for ${record.target}` : ""} (ticket #${record.ticketId})`;
  const why = `You are asked as ${approver.reason}. Nothing is changed unless someone approves; the request expires ${until}.`;
  const html = [
    `<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px">`,
    `<h2>${escapeHtml(subject)}</h2>`,
    `<p>${escapeHtml(asked(record))}</p>`,
    `<p>${escapeHtml(changesIntro(record))}</p>`,
    planHtml(record),
    `<p><a href="${escapeHtml(link)}">Review the request and approve or deny it</a></p>`,
    `<p style="color:#605e5c">${escapeHtml(why)} The link is yours alone and works once.</p>`,
    `</div>`,
  ].join("\n");
  const text = [asked(record), "", changesIntro(record), ...diffLines(record.plan).map((line) => `- ${line}`), "", `Review and decide: ${link}`, "", why].join("\n");
  return { subject, html, text };
}

/** Sends one approver's mail from the notification mailbox; false (and an event) when Graph did not accept it. */
export async function sendApprovalMail(
  graph: Pick<GraphClient, "request">, mailbox: string, record: ApprovalRecord, approver: Approver, link: string, events: EventSink,
): Promise<boolean> {
  const mail = approvalMail(record, approver, link);
  try {
    const response = await graph.request(sendMailRequest(mailbox, { subject: mail.subject, to: [approver.address], body: { html: mail.html } }));
    const sent = mailAccepted(response.status);
    if (!sent) events("approval.mail_failed", { runId: record.runId, approvalId: record.approvalId, status: response.status });
    return sent;
  } catch (thrown) {
    events("approval.mail_failed", { runId: record.runId, approvalId: record.approvalId, code: ensureIntentError(thrown).code });
    return false;
  }
}
