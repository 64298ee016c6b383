/**
 * The mail the engine sends on its own account (a failed run's notice, an approver's request, the
 * requester's report): Graph's `POST /users/{mailbox}/sendMail` from the notification mailbox, not
 * kept in that mailbox's Sent Items.
 */
import type { GraphRequest } from "./types";

export interface EngineMail {
  subject: string;
  to: readonly string[];
  /** HTML, or plain text. */
  body: { html: string } | { text: string };
}

export function sendMailRequest(mailbox: string, mail: EngineMail): GraphRequest {
  const body = "html" in mail.body ? { contentType: "HTML", content: mail.body.html } : { contentType: "Text", content: mail.body.text };
  return {
    method: "POST",
    path: `/users/${encodeURIComponent(mailbox)}/sendMail`,
    body: { message: { subject: mail.subject, body, toRecipients: mail.to.map((address) => ({ emailAddress: { address } })) }, saveToSentItems: false },
  };
}

/** Graph took the mail: sendMail answers 202 Accepted (200 from some proxies). */
export function mailAccepted(status: number): boolean {
  return status === 202 || status === 200;
}
