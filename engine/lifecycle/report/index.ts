/** Reporting back: the reporter the lifecycle calls, the outbox, its handler and sweeper. */
export * from "./types";
export { OutboxReporter, silentReporter, type ReportTargets } from "./reporter";
export { OutboxStore, REPORT_OUTBOX_TABLE } from "./outbox-store";
export { StorageOutboxQueue, REPORT_QUEUE, parseOutboxRef, type OutboxQueue, type OutboxRef } from "./outbox-queue";
export { handleReportMessage, DEFAULT_MAX_ATTEMPTS, type DeliverDeps } from "./deliver";
export { sweepOutbox, SWEEP_GRACE_MS } from "./sweep";
export { psaChannel, requesterMailChannel, webhookChannel, type ReportChannel, type ReportChannels } from "./channels";
export { signWebhook, verifyWebhookSignature, SIGNATURE_HEADER, EVENT_ID_HEADER } from "./signature";
export { internalNote, customerNote, noteMarker } from "./note";
