/**
 * Asking for an approval: the run's plan (a dry run: reads are sent, writes only planned, then the
 * reads that show what the writes change, and when the first change is made if the run waits for
 * its time), the approvers read from the tenant, one approval record
 * with the plan and the sealed input, one mail per approver with their own link. The run then
 * waits in `awaiting_approval`; nothing has been written.
 */
import { randomBytes } from "node:crypto";
import { IntentError } from "../../core/errors";
import { FAILED_MESSAGE } from "../../runtime/run-result";
import type { EventSink, RunResult } from "../../runtime/types";
import { seal } from "../continue/sealing";
import type { RunInput } from "../execute/run-input";
import type { EngineIntent, PipelineDeps } from "../types";
import { resolveApprovers, waitingFor, type ApproverRef } from "./approvers";
import { approvalLink, type ApprovalDeps } from "./deps";
import { sendApprovalMail } from "./mail";
import { planOf } from "./plan/make-plan";
import { startsAtOf, withLaterChanges } from "./plan/starts-at";
import type { Plan } from "./plan/types";
import { summaryOf, type ApprovalRecord, type Approver } from "./types";

export interface ApprovalAsk {
  /** Who may approve, as the policy decision names them; or the approvers of the approval a tenant change replaced. */
  who: { refs: readonly ApproverRef[] } | { approvers: readonly Approver[] };
  /** The requester's object id, lower-cased, when the tenant knows them. */
  requesterId?: string;
  requesterIsTarget: boolean;
  /** The intent's target as the webhook gave it. */
  target?: string;
  /** The approval this one replaces: it was approved, then the tenant changed. */
  supersedes?: ApprovalRecord;
}

/** The dry run and the plan made from it; `failed` when the plan cannot be made (a read failed). */
export async function planRun(deps: PipelineDeps, approvals: ApprovalDeps, intent: EngineIntent, input: RunInput, events: EventSink): Promise<{ plan: Plan } | { failed: RunResult }> {
  const dryRun = await deps.engine.execute(intent, {
    fields: input.fields,
    run: input.run,
    services: Object.assign({}, deps.services, { events }),
    mode: "dry-run",
  });
  const outcome = await planOf(dryRun, approvals.graph);
  if ("plan" in outcome) {
    const startsAt = startsAtOf(dryRun.steps, deps.clock.now(), deps.settings.timeZone);
    const plan = withLaterChanges(outcome.plan, dryRun.steps, deps.settings.timeZone);
    return { plan: startsAt ? { ...plan, startsAt } : plan };
  }
  return { failed: { status: "failed", message: FAILED_MESSAGE, steps: dryRun.steps, error: outcome.error } };
}

function refused(code: "APPROVAL_NO_APPROVER" | "APPROVAL_MAIL_FAILED", message: string, fix: string, retryable: boolean): RunResult {
  const error = new IntentError(code, message, { fix, retryable });
  return {
    // Failed, not denied: the deployment's rule or mailbox needs fixing, and the failure mail says so.
    status: "failed",
    message: code === "APPROVAL_NO_APPROVER"
      ? "This request needs an approval, and nobody could be asked to approve it; please contact your IT service desk."
      : "This request needs an approval, and the approvers could not be asked right now; please try again later.",
    steps: [],
    error: { ...error.toJSON(), ...(retryable ? { retryable: true } : {}) },
  };
}

/** The 202's sentence: who the requester waits for. */
export function waitingMessage(approvers: readonly Approver[], renewed: boolean): string {
  const who = waitingFor(approvers);
  return renewed
    ? `Something changed in your organisation since your request was approved, so it needs a new approval: waiting for ${who}.`
    : `This request needs an approval before anything is changed: waiting for ${who}. You will hear back once it is decided.`;
}

export async function requestApproval(
  deps: PipelineDeps, approvals: ApprovalDeps, intent: EngineIntent, input: RunInput, ask: ApprovalAsk, events: EventSink, planned?: Plan,
): Promise<RunResult> {
  const { run } = input;
  let plan = planned;
  if (!plan) {
    const made = await planRun(deps, approvals, intent, input, events);
    if ("failed" in made) return made.failed;
    plan = made.plan;
  }
  const context = { requester: { email: run.contactEmail, ...(ask.requesterId ? { id: ask.requesterId } : {}) }, requesterIsTarget: ask.requesterIsTarget, ...(ask.target ? { target: ask.target } : {}) };
  const approvers = "refs" in ask.who
    ? await resolveApprovers(approvals.graph, ask.who.refs, context)
    : ask.who.approvers.map((approver) => ({ ...approver, key: randomBytes(8).toString("hex") }));
  if (approvers.length === 0) {
    events("approval.requested", { runId: run.runId, approvers: 0 });
    return refused("APPROVAL_NO_APPROVER", "Requester policy asks for an approval, but the rule names nobody who could give it (no manager, no enabled group member, nobody but the requester).",
      "Add a requester entry that names approvers (manager, a group, an address) to the rule, or have an allowed requester send the request.", false);
  }
  const now = deps.clock.now();
  const created = await approvals.store.create({
    approvalId: randomBytes(16).toString("hex"),
    runId: run.runId,
    state: "pending",
    intentName: run.intentName,
    ticketId: run.ticketId,
    requester: { name: run.contactName, email: run.contactEmail, ...(ask.requesterId ? { id: ask.requesterId } : {}) },
    ...(ask.target ? { target: ask.target } : {}),
    plan,
    approvers,
    requestedAt: new Date(now).toISOString(),
    expiresAt: now + approvals.lifetimeMs,
    ...(ask.supersedes ? { supersedes: ask.supersedes.approvalId } : {}),
    sealedInput: seal(input, await deps.settings.sharedSecret()),
  });
  const tokens = await approvals.tokens();
  const sent = await Promise.all(approvers.map((approver) => {
    const token = tokens.link({ approvalId: created.approvalId, approverKey: approver.key, expiresAt: created.expiresAt });
    return sendApprovalMail(approvals.graph, approvals.mailbox, created, approver, approvalLink(approvals, created.approvalId, token), events);
  }));
  if (!sent.some(Boolean)) {
    await approvals.store.update(created, { state: "cancelled" });
    events("approval.requested", { runId: run.runId, approvalId: created.approvalId, approvers: approvers.length, mailed: 0 });
    return refused("APPROVAL_MAIL_FAILED", "No approver's mail could be sent from the notification mailbox.",
      "Check NOTIFICATION_MAILBOX and the app's Mail.Send permission, then send the request again; nothing was changed.", true);
  }
  events("approval.requested", {
    runId: run.runId, approvalId: created.approvalId, approvers: approvers.length, mailed: sent.filter(Boolean).length,
    changes: plan.changes.length, expiresAt: new Date(created.expiresAt).toISOString(), ...(ask.supersedes ? { supersedes: ask.supersedes.approvalId } : {}),
  });
  return { status: "awaiting_approval", message: waitingMessage(approvers, ask.supersedes !== undefined), steps: [], approval: summaryOf(created) };
}
