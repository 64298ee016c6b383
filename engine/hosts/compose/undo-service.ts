/**
 * The `undo:latest` kind's service over the undo lifecycle. The kinds are built before the
 * pipeline (the catalogue needs them), so the service is bound to the pipeline once it exists.
 */
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../core/events";
import type { UndoLatestAnswer, UndoLatestRequest, UndoService } from "../../kinds/undo/service";
import { undoLatest, type RunFinder } from "../../lifecycle/undo/latest";
import type { PipelineDeps } from "../../lifecycle/types";

export class BoundUndoService implements UndoService {
  private bound?: { deps: PipelineDeps; finder: RunFinder };

  bind(deps: PipelineDeps, finder: RunFinder): void {
    this.bound = { deps, finder };
  }

  undoLatest(request: UndoLatestRequest, events: EventSink): Promise<UndoLatestAnswer> {
    if (!this.bound) throw new IntentError("UNDO_NOT_DECLARED", "This host keeps no runs to undo.", { fix: "Compose the pipeline before running an undo:latest step." });
    return undoLatest(this.bound.deps, this.bound.finder, request, events);
  }
}
