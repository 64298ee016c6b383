/**
 * Many runs in the run index quickly: the real index entities (indexEntities of each run's
 * summary), written per partition in batch transactions of 100, as no run would ever be written,
 * so a test of a few thousand runs takes seconds rather than minutes on Azurite.
 */
import type { TableClient, TransactionAction } from "@azure/data-tables";
import { indexEntities, type IndexEntity, type RunSummary } from "../../../engine/lifecycle/store/run-index";

export const STATUSES = ["succeeded", "failed", "partial", "running"] as const;
export const INTENTS = ["Add User to Group", "Password Reset", "User Offboarding", "License Assignment", "MFA Reset"] as const;

export interface SeededRun extends RunSummary {
  createdMs: number;
}

/** Run i: created one minute after run i-1; status, intent, ticket, requester and target cycle at different periods. */
export function syntheticRuns(count: number, startMs: number): SeededRun[] {
  return Array.from({ length: count }, (_, i) => {
    const createdMs = startMs + i * 60_000;
    const status = STATUSES[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : i % 13 === 0 ? 3 : 0]!;
    const finished = status === "running" ? "" : new Date(createdMs + 1_000 + (i % 50) * 10).toISOString();
    return {
      runId: (0x100000 + i).toString(16).padStart(32, "0"),
      status,
      intentName: INTENTS[i % INTENTS.length]!,
      ticketId: String(5000 + (i % 150)),
      requester: `requester${i % 20}@contoso.com`,
      requesterName: `Requester ${i % 20}`,
      target: `user${i % 60}@contoso.com`,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: finished || new Date(createdMs).toISOString(),
      finishedAt: finished,
      ...(finished ? { durationMs: Date.parse(finished) - createdMs } : {}),
      attempts: 1,
      errorCode: status === "failed" ? "GRAPH_ERROR" : "",
      createdMs,
    };
  });
}

export async function seedIndex(table: TableClient, runs: readonly SeededRun[]): Promise<void> {
  const byPartition = new Map<string, IndexEntity[]>();
  for (const { createdMs: _created, ...summary } of runs) {
    for (const entity of indexEntities(summary)) {
      const list = byPartition.get(entity.partitionKey) ?? [];
      list.push(entity);
      byPartition.set(entity.partitionKey, list);
    }
  }
  const batches: TransactionAction[][] = [];
  for (const entities of byPartition.values()) {
    for (let start = 0; start < entities.length; start += 100) {
      batches.push(entities.slice(start, start + 100).map((entity): TransactionAction => ["upsert", { ...entity }, "Replace"]));
    }
  }
  // A few transactions at a time: Azurite is in this process, on a shared 2-core machine.
  for (let start = 0; start < batches.length; start += 6) {
    await Promise.all(batches.slice(start, start + 6).map((actions) => table.submitTransaction(actions)));
  }
}
