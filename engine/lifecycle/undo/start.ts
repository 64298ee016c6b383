/**
 * Starting an undo: its plan first (nothing to undo is an answer, not a run), then a new run,
 * linked to the run it reverses, claimed and executed like any other. Its id comes from the run,
 * the requester and the plan, so the same undo asked twice by the same person (two clicks, a
 * retried request) runs once, while an undo asked again after the tenant changed is a run of its
 * own, and so is one asked by someone else: a requester policy refused does not block the undo for
 * one it allows. It is judged by requester policy as the run it reverses would be: whoever may make
 * a change may undo it.
 */
import { createHash } from "node:crypto";
import type { EventSink, RunResult } from "../../runtime/types";
import { runClaimed } from "../execute/runner";
import { idempotencyKey, runIdFor } from "../store/run-key";
import type { RunRecord } from "../store/types";
import type { PipelineDeps } from "../types";
import { planUndo } from "./plan";
import type { UndoPlan } from "./types";

/** Who asks for the undo: their address and name, and the ticket its notes go to (default: the run's). */
export interface UndoRequester {
  email: string;
  name: string;
  ticketId?: string;
}

export type UndoStart =
  | { kind: "nothing-to-undo"; plan: UndoPlan }
  | { kind: "existing"; plan: UndoPlan; record: RunRecord }
  | { kind: "ran"; plan: UndoPlan; runId: string; result: RunResult; attempts: number }
  /** The run stopped before it ended (its lease lost, or the store failed): it goes on elsewhere. */
  | { kind: "continuing"; plan: UndoPlan; runId: string; attempts: number };

export function undoRunId(ticketId: string, intentName: string, runId: string, plan: UndoPlan, requesterEmail: string): string {
  const planned = createHash("sha256").update(JSON.stringify(plan.changes)).digest("hex");
  return runIdFor(idempotencyKey(ticketId, `Undo ${intentName}`, `${runId}|${requesterEmail.toLowerCase()}|${planned}`));
}

export async function startUndo(deps: PipelineDeps, runId: string, requester: UndoRequester, events: EventSink): Promise<UndoStart> {
  const planned = await planUndo(deps, runId, events);
  const { plan, intentName } = planned;
  if (plan.nothingToUndo) {
    events("undo.nothing", { runId, intentName, changedSince: plan.changedSince.length });
    return { kind: "nothing-to-undo", plan };
  }
  const intent = deps.engine.find(intentName);
  if (!intent) return { kind: "nothing-to-undo", plan };
  const ticketId = requester.ticketId ?? planned.ticketId;
  const id = undoRunId(ticketId, intentName, runId, plan, requester.email);
  const undoName = `Undo ${intentName}`;
  const target = planned.snapshot.target;
  const kept = {
    intentName,
    // The run's recorded fields: requester policy reads the target from them, as it did for the run.
    fields: planned.snapshot.fields,
    secretValues: [],
    run: { runId: id, ticketId, intentName: undoName, contactName: requester.name, contactEmail: requester.email, companyName: "", undoOf: runId },
  };
  const claim = await deps.store.claim({
    runId: id, ticketId, intentName: undoName, receivedAt: deps.clock.now(),
    ...(requester.email ? { requester: requester.email } : {}), ...(requester.name ? { requesterName: requester.name } : {}), ...(target ? { target } : {}),
    // Kept (sealed) with the run, so the abandoned-run sweep can finish an undo whose instance stopped.
    input: kept,
  });
  if (claim.kind === "existing") {
    events("duplicate", { runId: id, ticketId, intentName: undoName, status: claim.record.status });
    return { kind: "existing", plan, record: claim.record };
  }
  events("undo.started", { runId: id, undoOf: runId, intentName: undoName, changes: plan.changes.length });
  const input = { ...kept, run: { ...kept.run, startedAt: claim.lease.record.createdAt } };
  const attempts = claim.lease.record.attempts;
  // Judged by requester policy under the intent it reverses, for the same target: whoever may make the change may undo it.
  const outcome = await runClaimed(deps, { intent, input, lease: claim.lease, budgetMs: deps.settings.runBudgetMs, accepted: false, judge: true }, events);
  if (outcome.kind === "done") return { kind: "ran", plan, runId: id, result: outcome.result, attempts };
  // The store failed mid-run: the undo goes on from a continuation once this lease has lapsed.
  if (outcome.reason === "store_unavailable") await deps.queue.send({ runId: id, input }, deps.settings.leaseMs);
  return { kind: "continuing", plan, runId: id, attempts };
}
