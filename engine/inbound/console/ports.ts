/**
 * What the console needs from approvals, scheduling and undo. Each is optional: a deployment
 * without the part gets no such section on the page, and its actions answer CONSOLE_FEATURE_OFF.
 * The composition root adapts each part's lifecycle functions to these ports when the part exists.
 */
import type { IntentError } from "../../core/errors";
import type { Actor } from "../../lifecycle/runs/audit";

export interface ApprovalItem {
  approvalId: string;
  runId: string;
  intentName: string;
  ticketId: string;
  requester: string;
  target: string;
  requestedAt: string;
  expiresAt: string;
  /** Who may decide, as people read them. */
  approvers: string[];
  /** The plan as the approver sees it: one line per change. */
  changes: string[];
}

export type ActionOutcome = { ok: true; status: string; message: string } | { ok: false; error: IntentError };

export interface ApprovalsPort {
  pending(): Promise<ApprovalItem[]>;
  /** The run's approval (who, when, decision, comment) for its detail view; undefined when it has none. */
  stateOf(runId: string): Promise<Record<string, unknown> | undefined>;
  decide(approvalId: string, decision: "approve" | "deny", actor: Actor, comment: string | undefined): Promise<ActionOutcome>;
}

export interface ScheduledItem {
  runId: string;
  intentName: string;
  ticketId: string;
  requester: string;
  target: string;
  /** ISO time the run (or its next step) is due. */
  dueAt: string;
  /** What happens then: "start", or the id of the step waiting on a delay. */
  next: string;
}

export interface SchedulesPort {
  upcoming(): Promise<ScheduledItem[]>;
  stateOf(runId: string): Promise<Record<string, unknown> | undefined>;
  cancel(runId: string, actor: Actor): Promise<ActionOutcome>;
}

export interface UndoPort {
  /** The compensating plan against the tenant as it is now, as lines to read; undefined when the run has none. */
  planFor(runId: string): Promise<Record<string, unknown> | undefined>;
  start(runId: string, actor: Actor): Promise<ActionOutcome & { undoRunId?: string }>;
}

export interface ConsolePorts {
  approvals?: ApprovalsPort;
  schedules?: SchedulesPort;
  undo?: UndoPort;
}
