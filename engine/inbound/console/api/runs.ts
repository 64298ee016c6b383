/** `GET /api/runs` (the filtered, paged list) and the console's view of `GET /api/runs/{runId}`. */
import { IntentError } from "../../../core/errors";
import { isRunId } from "../../../lifecycle/store/run-key";
import { listRuns } from "../../../lifecycle/runs/run-query";
import { retryable } from "../../../lifecycle/runs/retry";
import { recordAnswer } from "../../webhook/answers";
import type { ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "../types";
import { errorAnswer, jsonAnswer } from "./answers";
import { parseRunListQuery } from "./run-filter";

export async function listRunsAnswer(deps: ConsoleDeps, request: ConsoleRequest): Promise<ConsoleAnswer> {
  const query = parseRunListQuery(new URL(request.url).searchParams);
  if (query.filter.intent) query.filter.intent = deps.intents.canonical(query.filter.intent) ?? query.filter.intent;
  const page = await listRuns(deps.index, query.filter, query.pageSize, query.after);
  return jsonAnswer(200, {
    message: `${page.runs.length} run(s)${page.next ? ", more on the next page" : ""}.`,
    runs: page.runs,
    ...(page.next ? { next: page.next } : {}),
    cost: page.cost,
  });
}

function notFound(): ConsoleAnswer {
  return errorAnswer(new IntentError("RUN_NOT_FOUND", "No run has this id.", { fix: "Pick the run from the list." }));
}

/** Whether the console can offer a retry, and why not. */
async function retryState(deps: ConsoleDeps, runId: string, status: string): Promise<{ possible: boolean; reason?: string }> {
  if (!retryable(status)) return { possible: false, reason: "Only a failed or partial run can be retried." };
  try {
    return (await deps.retry.kept.read(runId)) ? { possible: true } : { possible: false, reason: "No copy of this run's request is kept; send it again from Thread." };
  } catch (thrown) {
    return { possible: false, reason: thrown instanceof IntentError ? thrown.message : "The kept request could not be read." };
  }
}

/** The record as the webhook answers it, plus who asked and for whom, what the console may do, and what was done. */
export async function runDetailAnswer(deps: ConsoleDeps, runId: string): Promise<ConsoleAnswer> {
  if (!isRunId(runId)) return notFound();
  const record = await deps.retry.store.get(runId);
  if (!record) return notFound();
  const { approvals, schedules, undo } = deps.ports;
  const [retry, actions, approval, schedule, undoPlan] = await Promise.all([
    retryState(deps, runId, record.status),
    deps.audit.list(runId),
    approvals?.stateOf(runId),
    schedules?.stateOf(runId),
    undo?.planFor(runId),
  ]);
  const answer = recordAnswer(record);
  return jsonAnswer(200, {
    ...answer.body,
    requester: record.requester ?? "",
    requesterName: record.requesterName ?? "",
    target: record.target ?? "",
    updatedAt: record.updatedAt,
    retry,
    actions,
    ...(approval ? { approval } : {}),
    ...(schedule ? { schedule } : {}),
    ...(undoPlan ? { undo: undoPlan } : {}),
  });
}
