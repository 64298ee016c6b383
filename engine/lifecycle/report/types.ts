/**
 * Reporting back: every state a run reaches that someone waits for becomes one note on the PSA
 * ticket (internal + customer-visible where the PSA tells them apart), optionally a mail to the
 * requester and a signed outbound webhook, each delivered from an outbox that never blocks a run.
 */
import type { EventSink, ReportedError, RunContext, StepResult } from "../../runtime/types";

/** The states worth a note. The lifecycle calls the reporter with one of these, once per state. */
export const REPORT_STATES = ["succeeded", "partial", "failed", "denied", "expired", "awaiting_approval", "scheduled", "cancelled"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** What the lifecycle knows when a run reaches a state. */
export interface StateReport {
  state: ReportState;
  run: RunContext;
  /** The end-user sentence (the answer's `message`); never holds a secret. */
  message: string;
  /** Each step's outcome so far; [] when nothing ran (denied, scheduled, awaiting approval, cancelled before its start). */
  steps: readonly StepResult[];
  error?: ReportedError;
  /** Values masked wherever they appear (secret fields, generated credentials). */
  secretValues: readonly string[];
  /** True when the run answered 202 earlier: its end or decision reaches the requester by mail. */
  accepted: boolean;
  /** One more plain sentence for the technician (who approves, when it is scheduled for). */
  detail?: string;
}

export interface RunReporter {
  /**
   * Records the state's deliveries in the outbox and queues them; a state already reported for
   * this run is dropped. Throws a retryable STORE_ERROR only when the outbox cannot be written,
   * so call it before recording the state: a retry then reports again.
   */
  report(report: StateReport, events: EventSink): Promise<void>;
}

/** Where a report goes. One outbox row per (run, state, channel). */
export const CHANNELS = ["psa-internal", "psa-customer", "requester-mail", "webhook"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** What a PSA note row carries. */
export interface NoteContent {
  title: string;
  text: string;
  /** The reference line inside `text`, looked for after a write whose answer was lost. */
  marker: string;
  visibility: "internal" | "customer";
}

export interface MailContent {
  to: string;
  subject: string;
  text: string;
}

export interface WebhookContent {
  eventId: string;
  /** The JSON document, exactly as signed and sent. */
  body: string;
}

export type RowContent = NoteContent | MailContent | WebhookContent;

export type RowStatus = "pending" | "sending" | "delivered" | "failed";

export interface OutboxRow {
  runId: string;
  /** `${channel}.${state}` */
  rowKey: string;
  channel: ChannelName;
  state: ReportState;
  ticketId: string;
  intentName: string;
  status: RowStatus;
  /** Delivery attempts started. */
  attempts: number;
  /** Epoch ms before which no attempt is made. */
  nextAttemptAt: number;
  /** Epoch ms until which the instance that set `sending` owns the row. */
  leaseUntil: number;
  /** True when an earlier attempt may have reached the receiver: look before sending again. */
  ambiguous: boolean;
  content: RowContent;
  createdAt: string;
  updatedAt: string;
  settledAt?: string;
  /** The receiver's last answer, one short line (never a secret). */
  lastAnswer?: string;
  etag?: string;
}

export function rowKeyOf(channel: ChannelName, state: ReportState): string {
  return `${channel}.${state}`;
}
