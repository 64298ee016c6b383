/**
 * At most one pending watch per run (continue/watch.ts). Each duplicate delivery of a running run
 * would otherwise queue a watch of its own: a burst of a hundred duplicates, a hundred messages
 * that all wake at the lease's end. A watch is queued only by whoever records its marker: a row of
 * its own beside the run row (PK runId, RK "watch") holding when it is due, written with an
 * insert that fails when one exists or an ETag-conditional update of an overdue one, so of
 * concurrent duplicates one queues it. The marker is not a column of the run row: every write of
 * the run row is conditional on its holder's last ETag (the lease), and a duplicate's write there
 * would make the live holder believe it lost the run.
 */
import type { TableClient } from "@azure/data-tables";
import type { Clock } from "../../runtime/types";
import { storageStatus, storeError } from "./tables";

export const WATCH_ROW = "watch";

/**
 * A marker this long past its due time belongs to a watch whose message was lost (a failing message
 * comes back every 30 s, host.json, at most six times): a new watch may be queued.
 */
export const WATCH_STALE_MS = 5 * 60_000;

interface WatchEntity {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  /** Epoch ms at which the watch's message becomes visible. */
  dueAt: number;
}

export class TableWatchMarks {
  constructor(private readonly table: TableClient, private readonly clock: Clock) {}

  /**
   * True when the caller is to queue a watch due at `dueAt`: no watch was pending, or `rearm` (the
   * pending watch itself, looking again later) moves it. False when another is pending.
   */
  async mark(runId: string, dueAt: number, rearm = false): Promise<boolean> {
    const entity: WatchEntity = { partitionKey: runId, rowKey: WATCH_ROW, dueAt };
    try {
      if (rearm) {
        await this.table.upsertEntity(entity, "Replace");
        return true;
      }
      const existing = await this.read(runId);
      if (!existing) {
        await this.table.createEntity(entity);
        return true;
      }
      if (existing.dueAt + WATCH_STALE_MS > this.clock.now()) return false;
      await this.table.updateEntity(entity, "Replace", { etag: existing.etag });
      return true;
    } catch (error) {
      // 409: another duplicate inserted it first; 412: another replaced the overdue one first.
      const status = storageStatus(error);
      if (status === 409 || status === 412) return false;
      throw storeError("mark the run's watch", error);
    }
  }

  /** Forgets the marker: its watch is done, or could not be queued. */
  async clear(runId: string): Promise<void> {
    try {
      await this.table.deleteEntity(runId, WATCH_ROW);
    } catch (error) {
      if (storageStatus(error) !== 404) throw storeError("clear the run's watch", error);
    }
  }

  private async read(runId: string): Promise<WatchEntity | undefined> {
    try {
      return await this.table.getEntity<WatchEntity>(runId, WATCH_ROW);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw error;
    }
  }
}
