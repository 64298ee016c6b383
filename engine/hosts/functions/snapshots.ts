/**
 * The daily timer that deletes run snapshots past their retention (SNAPSHOT_RETENTION_DAYS), with
 * their companion rows and undo links.
 */
import "./telemetry-start";
import { app, type InvocationContext } from "@azure/functions";
import { purgeExpiredSnapshots } from "../../lifecycle/undo/retention";
import { processDeps } from "../compose/from-settings";
import { eventsFor, inInvocation, type DepsProvider } from "./adapt";

/** Every day at 03:30 UTC. */
export const SNAPSHOT_PURGE_SCHEDULE = "0 30 3 * * *";

export function snapshotPurgeHandler(deps: DepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<void> => {
    await inInvocation(context, async () => void (await purgeExpiredSnapshots(await deps(), eventsFor(context))));
  };
}

export const purgeSnapshots = snapshotPurgeHandler(processDeps);

app.timer("purgeSnapshots", { schedule: SNAPSHOT_PURGE_SCHEDULE, runOnStartup: false, handler: purgeSnapshots });
