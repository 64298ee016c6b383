/** `GET /api/runs/{runId}`: a run's status at any time, behind the same shared secret. */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { expireIfDue } from "../../lifecycle/approval/expire";
import { errorAnswer, recordAnswer } from "./answers";
import { refusedForRun, runNotFound } from "./run-endpoint";
import type { PipelineDeps } from "../../lifecycle/types";
import type { HttpAnswer, IncomingRequest } from "./types";

export async function handleRunStatus(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer> {
  const refused = await refusedForRun(deps, request, runId, events);
  if (refused) return refused;
  try {
    let record = await deps.store.get(runId);
    // A run waiting past its approval's time expires as it is read: nothing keeps a clock for it.
    const approval = record?.status === "awaiting_approval" ? record.result?.approval : undefined;
    if (approval && Date.parse(approval.expiresAt) <= deps.clock.now() && (await expireIfDue(deps, approval.id, events))) record = await deps.store.get(runId);
    return record ? recordAnswer(record) : runNotFound();
  } catch (thrown) {
    return errorAnswer(ensureIntentError(thrown));
  }
}
