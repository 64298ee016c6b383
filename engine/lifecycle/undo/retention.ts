/** Snapshots past their retention (SNAPSHOT_RETENTION_DAYS) are deleted by a daily timer: an undo after that answers UNDO_SNAPSHOT_EXPIRED. */
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../types";

export async function purgeExpiredSnapshots(deps: Pick<PipelineDeps, "snapshots" | "clock">, events: EventSink): Promise<number> {
  if (!deps.snapshots) return 0;
  const purged = await deps.snapshots.purgeExpired(new Date(deps.clock.now()).toISOString());
  events("snapshots_purged", { count: purged });
  return purged;
}
