/**
 * The console's undo section over the undo lifecycle functions: the plan of a run (none when its
 * intent declares no undo), and starting the undo in the signed-in technician's name.
 */
import { ambientEvents } from "../../core/current-events";
import { ensureIntentError } from "../../core/errors";
import type { UndoPort } from "../../inbound/console/ports";
import type { PipelineDeps } from "../../lifecycle/types";
import { computeUndoPlan } from "../../lifecycle/undo/plan";
import { startUndo } from "../../lifecycle/undo/start";

const ADDRESS = /^[^@\s]+@[^@\s]+$/;

/** Why a run has no undo to show: its intent declares none, or it recorded nothing to undo from. */
const NO_UNDO = new Set(["UNDO_NOT_DECLARED", "UNDO_NO_SNAPSHOT", "RUN_NOT_FOUND"]);

export function undoPort(deps: PipelineDeps): UndoPort {
  return {
    async planFor(runId) {
      try {
        const plan = await computeUndoPlan(deps, runId, ambientEvents);
        return { possible: !plan.nothingToUndo, ...plan };
      } catch (thrown) {
        const error = ensureIntentError(thrown);
        if (NO_UNDO.has(error.code)) return undefined;
        return { possible: false, problem: { code: error.code, message: error.message } };
      }
    },
    async start(runId, actor) {
      try {
        // The technician asks as their sign-in address (locally: the address they act as); policy judges that.
        const started = await startUndo(deps, runId, { email: ADDRESS.test(actor.name) ? actor.name.toLowerCase() : "", name: actor.name }, ambientEvents);
        if (started.kind === "nothing-to-undo") return { ok: true, status: "nothing_to_undo", message: "Nothing is left to undo." };
        if (started.kind === "existing") return { ok: true, status: started.record.status, message: "This undo was started before.", undoRunId: started.record.runId };
        if (started.kind === "continuing") return { ok: true, status: "running", message: "The undo has started and goes on in the background.", undoRunId: started.runId };
        return { ok: true, status: started.result.status, message: started.result.message, undoRunId: started.runId };
      } catch (thrown) {
        return { ok: false, error: ensureIntentError(thrown) };
      }
    },
  };
}
