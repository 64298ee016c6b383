/**
 * Group membership changes from a group's `updated` notification: the current members (paged) are
 * compared with the stored snapshot. The first look only records a baseline, since what changed
 * before it is unknown.
 */
import type { GraphClient } from "../../../clients/graph/types";
import { IntentError } from "../../../core/errors";
import type { MemberSnapshotStore } from "./snapshot-store";

export interface MembershipDelta {
  added: string[];
  removed: string[];
  /** The version the new snapshot gets; part of each run key. */
  version: number;
  /** Saves the new snapshot; call after the runs were claimed, so a crash in between repeats the diff. */
  commit(): Promise<void>;
}

async function currentMembers(graph: GraphClient, groupId: string): Promise<string[]> {
  try {
    const { items } = await graph.getAll({ method: "GET", path: `/groups/${encodeURIComponent(groupId)}/members`, query: { $select: "id" } });
    return items.map((item) => String((item as { id?: unknown }).id ?? "").toLowerCase()).filter(Boolean);
  } catch (thrown) {
    throw thrown instanceof IntentError ? thrown : new IntentError("GRAPH_ERROR", "Reading the group's members failed.", { cause: thrown, retryable: true });
  }
}

/** Records a baseline unless one exists (the subscription manager calls this when it subscribes). */
export async function baselineMembers(graph: GraphClient, store: MemberSnapshotStore, groupId: string): Promise<void> {
  if (await store.get(groupId)) return;
  await store.save(groupId, await currentMembers(graph, groupId), 0, undefined);
}

/** Undefined when there was no baseline yet (one is recorded now). */
export async function membershipDelta(graph: GraphClient, store: MemberSnapshotStore, groupId: string): Promise<MembershipDelta | undefined> {
  const [snapshot, members] = await Promise.all([store.get(groupId), currentMembers(graph, groupId)]);
  if (!snapshot) {
    await store.save(groupId, members, 0, undefined);
    return undefined;
  }
  const before = new Set(snapshot.members);
  const now = new Set(members);
  const version = snapshot.version + 1;
  return {
    added: members.filter((id) => !before.has(id)),
    removed: snapshot.members.filter((id) => !now.has(id)),
    version,
    commit: () => store.save(groupId, members, version, snapshot.etag),
  };
}
