/**
 * What every endpoint about one run (`/api/runs/{runId}…`) checks before anything else, in this
 * order: the shared secret (401, and nothing more is said), then that the id can be a run's at all
 * (404, the same answer as for a run that does not exist).
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { isRunId } from "../../lifecycle/store/run-key";
import type { PipelineDeps } from "../../lifecycle/types";
import { errorAnswer } from "./answers";
import { unauthorized } from "./intake";
import { SECRET_HEADER, sharedSecretMatches } from "./shared-secret";
import type { HttpAnswer, IncomingRequest } from "./types";

export function runNotFound(): HttpAnswer {
  return errorAnswer(new IntentError("RUN_NOT_FOUND", "No run has this id.", { fix: "Use the runId from the answer to POST /api/intent." }));
}

/** The answer that refuses the request, or undefined when it may go on. */
export async function refusedForRun(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer | undefined> {
  if (!sharedSecretMatches(request.header(SECRET_HEADER), await deps.settings.sharedSecret())) {
    events("rejected", { status: 401 });
    return unauthorized();
  }
  return isRunId(runId) ? undefined : runNotFound();
}
