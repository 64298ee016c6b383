/**
 * The reporter the lifecycle calls: it turns a state into its deliveries (PSA notes, requester
 * mail, outbound webhook, as configured), writes them to the outbox and queues them. Sending is
 * the queue handler's job (./deliver), so a PSA outage never slows or fails a run.
 */
import type { Clock, EventSink } from "../../runtime/types";
import { customerNote, internalNote } from "./note";
import type { OutboxQueue } from "./outbox-queue";
import type { OutboxStore } from "./outbox-store";
import { MAILED_STATES, requesterMail } from "./requester-mail";
import { rowKeyOf, type ChannelName, type OutboxRow, type RowContent, type RunReporter, type StateReport } from "./types";
import { webhookContent } from "./webhook-document";

/** Which channels are configured; the reporter writes rows for these only. */
export interface ReportTargets {
  psa: boolean;
  /** REPORT_REQUESTER_EMAIL=true and a notification mailbox to send from. */
  requesterMail: boolean;
  webhook: boolean;
}

export interface OutboxReporterDeps {
  store: OutboxStore;
  queue: OutboxQueue;
  clock: Clock;
  targets: ReportTargets;
}

function contents(report: StateReport, targets: ReportTargets, occurredAt: string): Array<[ChannelName, RowContent]> {
  const out: Array<[ChannelName, RowContent]> = [];
  // A run a change notification started has no ticket to write on; the webhook still hears of it.
  if (targets.psa && report.run.ticketId) out.push(["psa-internal", internalNote(report)], ["psa-customer", customerNote(report)]);
  if (targets.requesterMail && report.accepted && MAILED_STATES.has(report.state) && report.run.contactEmail) out.push(["requester-mail", requesterMail(report)]);
  if (targets.webhook) out.push(["webhook", webhookContent(report, occurredAt)]);
  return out;
}

export class OutboxReporter implements RunReporter {
  constructor(private readonly deps: OutboxReporterDeps) {}

  async report(report: StateReport, events: EventSink): Promise<void> {
    const now = this.deps.clock.now();
    const stamp = new Date(now).toISOString();
    const rows: OutboxRow[] = contents(report, this.deps.targets, stamp).map(([channel, content]) => ({
      runId: report.run.runId, rowKey: rowKeyOf(channel, report.state), channel, state: report.state,
      ticketId: report.run.ticketId, intentName: report.run.intentName, status: "pending", attempts: 0,
      nextAttemptAt: now, leaseUntil: 0, ambiguous: false, content, createdAt: stamp, updatedAt: stamp,
    }));
    if (rows.length === 0) return;
    const created = await this.deps.store.add(rows, now);
    await Promise.all(created.map((row) => this.deps.queue.send({ runId: row.runId, rowKey: row.rowKey }, 0)));
    events("report_queued", {
      runId: report.run.runId, ticketId: report.run.ticketId, state: report.state,
      channels: created.map((row) => row.channel), ...(created.length < rows.length ? { alreadyReported: rows.length - created.length } : {}),
    });
  }
}

/** For hosts with nowhere to report (no PSA, no mail, no webhook) and for benchmarks. */
export const silentReporter: RunReporter = { report: async () => undefined };
