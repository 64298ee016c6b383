/**
 * `schedule:cancel`: cancels the runs of a ticket that wait for their time (a start date, or a
 * delayed step), of one intent when named. The kind knows nothing of how runs wait: it calls the
 * port its factory received, which the host wires to the run lifecycle. Its answer reads like an
 * HTTP one, so outcome rules can match it: 200 with what was cancelled, 404 when nothing waited,
 * 400 for an intent name no intent has.
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../core/events";
import type { Classification, KindAnswer, StepKind, StepKindSpec } from "../../core/step-kind";

export interface CancelledRun {
  runId: string;
  intentName: string;
  /** When it would have run (ISO 8601, tenant time zone). */
  at: string;
}

export interface ScheduledRunsPort {
  /** `intent`: a name or alias; absent = every intent. Undefined when no intent has that name. */
  cancel(request: { ticketId: string; intent?: string }, events: EventSink): Promise<CancelledRun[] | undefined>;
}

export interface ScheduleKindDeps {
  /** Absent where runs cannot wait (the CLI, intent cases): the step fails with CONFIG_MISSING. */
  schedules?: ScheduledRunsPort;
}

export interface CancelInput {
  ticketId: string;
  intent?: string | null;
}

interface CancelResponse {
  status: number;
  body: { cancelled: CancelledRun[] } | { error: { code: string; message: string } };
}

export const scheduleCancelSpec: StepKindSpec<CancelInput> = {
  id: "schedule:cancel",
  description: "Cancels the runs of a ticket that wait for a scheduled time (a start date or a step's after), of one intent when named.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["ticketId"],
    properties: {
      ticketId: { type: "string", description: "The ticket whose runs to cancel, normally {{run.ticketId}}." },
      intent: { type: ["string", "null"], description: "An intent name or alias; empty = every scheduled run of the ticket." },
    },
  },
  isReadOnly: () => false,
  describe: (input) => ({ cancel: "scheduled runs", ticketId: input.ticketId, intent: input.intent || "any" }),
  classify(response): Classification {
    const answer = response as CancelResponse;
    if (answer.status === 200) return { success: true, status: 200 };
    const error = "error" in answer.body ? answer.body.error : { code: "Unknown", message: "The runs could not be cancelled." };
    return { success: false, status: answer.status, code: error.code, message: error.message, error: { code: "SCHEDULE_CANCEL_FAILED", message: error.message } };
  },
};

function failure(status: number, code: string, message: string): KindAnswer {
  return { response: { status, body: { error: { code, message } } } satisfies CancelResponse, attempts: 1 };
}

export function scheduleCancel(deps: ScheduleKindDeps): StepKind<CancelInput> {
  return {
    ...scheduleCancelSpec,
    async run(input, ctx): Promise<KindAnswer> {
      if (!deps.schedules) throw new IntentError("CONFIG_MISSING", "Scheduled runs cannot be cancelled here: this host keeps no schedule.");
      if (!input.ticketId.trim()) return failure(400, "NoTicket", "The request names no ticket, so no scheduled run can be found.");
      const intent = input.intent?.trim() || undefined;
      const cancelled = await deps.schedules.cancel({ ticketId: input.ticketId, ...(intent ? { intent } : {}) }, ctx.events);
      if (!cancelled) return failure(400, "UnknownIntent", "No intent has that name.");
      if (cancelled.length === 0) return failure(404, "NothingScheduled", "No run of this ticket waits for a scheduled time.");
      return { response: { status: 200, body: { cancelled } } satisfies CancelResponse, attempts: 1 };
    },
  };
}

export function scheduleKinds(deps: ScheduleKindDeps): StepKind[] {
  return [scheduleCancel(deps)];
}

export const scheduleKindSpecs: readonly StepKindSpec[] = [scheduleCancelSpec];
