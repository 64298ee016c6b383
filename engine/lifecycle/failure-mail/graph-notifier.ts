/** Sends failure mails through Graph sendMail; a failure to send is an event, never an exception. */
import { mailAccepted, sendMailRequest } from "../../clients/graph/send-mail";
import type { GraphClient } from "../../clients/graph/types";
import { ensureIntentError } from "../../core/errors";
import type { Clock, EventSink } from "../../runtime/types";
import type { FailureNotice, FailureNotifier } from "../types";
import { buildFailureMail } from "./failure-mail";

export interface NotificationSettings {
  /** The mailbox the mail is sent from (NOTIFICATION_MAILBOX). */
  mailbox: string | undefined;
  /** Recipients (NOTIFICATION_EMAIL, comma-separated). */
  recipients: readonly string[];
}

export function parseRecipients(value: string | undefined): string[] {
  return (value ?? "").split(",").map((address) => address.trim()).filter(Boolean);
}

export class GraphFailureNotifier implements FailureNotifier {
  constructor(
    private readonly graph: GraphClient,
    private readonly settings: NotificationSettings,
    private readonly clock: Clock,
  ) {}

  async notify(notice: FailureNotice, events: EventSink): Promise<void> {
    const { mailbox, recipients } = this.settings;
    const runId = notice.run.runId;
    if (!mailbox || recipients.length === 0) {
      events("notification", { runId, sent: false, reason: "NOTIFICATION_MAILBOX or NOTIFICATION_EMAIL is not set" });
      return;
    }
    const mail = buildFailureMail(notice.run, notice.result, notice.secretValues, new Date(this.clock.now()));
    try {
      const response = await this.graph.request(sendMailRequest(mailbox, { subject: mail.subject, to: recipients, body: { html: mail.html } }));
      const sent = mailAccepted(response.status);
      events("notification", { runId, sent, status: response.status, recipients: recipients.length });
    } catch (thrown) {
      events("notification", { runId, sent: false, code: ensureIntentError(thrown).code });
    }
  }
}
