/** `GET /api/runs/{runId}`: a run's status at any time, behind the same shared secret. */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { isRunId } from "../../lifecycle/store/run-key";
import { expireIfDue } from "../../lifecycle/approval/expire";
import { errorAnswer, recordAnswer } from "./answers";
import { unauthorized } from "./intake";
import { SECRET_HEADER, sharedSecretMatches } from "./shared-secret";
import type { PipelineDeps } from "../../lifecycle/types";
import type { HttpAnswer, IncomingRequest } from "./types";

function notFound(): HttpAnswer {
  return errorAnswer(new IntentError("RUN_NOT_FOUND", "No run has this id.", { fix: "Use the runId from the answer to POST /api/intent." }));
}

export async function handleRunStatus(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer> {
  if (!sharedSecretMatches(request.header(SECRET_HEADER), await deps.settings.sharedSecret())) {
    events("rejected", { status: 401 });
    return unauthorized();
  }
  if (!isRunId(runId)) return notFound();
  try {
    let record = await deps.store.get(runId);
    // A run waiting past its approval's time expires as it is read: nothing keeps a clock for it.
    const approval = record?.status === "awaiting_approval" ? record.result?.approval : undefined;
    if (approval && Date.parse(approval.expiresAt) <= deps.clock.now() && (await expireIfDue(deps, approval.id, events))) record = await deps.store.get(runId);
    return record ? recordAnswer(record) : notFound();
  } catch (thrown) {
    return errorAnswer(ensureIntentError(thrown));
  }
}
