/**
 * Who did what to a run from the console: every action (retry, approve, deny, cancel, undo) with
 * the signed-in identity that asked, in the run's own partition, oldest first. Written before the
 * action's answer, so nothing an operator did is unrecorded.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { randomBytes } from "node:crypto";
import { storeError } from "../store/tables";

export const CONSOLE_ACTIONS_TABLE = "intentconsoleactions";
const READ_LIMIT = 200;

/** The signed-in technician, as App Service Authentication (or the local session) named them. */
export interface Actor {
  /** Entra object id, or "local" for the local development session. */
  id: string;
  /** User principal name or display name, for people to read. */
  name: string;
  via: "entra" | "local";
}

export interface ActionRecord {
  runId: string;
  action: "retry" | "approve" | "deny" | "cancel" | "undo";
  actorId: string;
  actorName: string;
  via: Actor["via"];
  at: string;
  /** What came of it: queued, refused (with the reason's code), … */
  outcome: string;
  comment?: string;
}

export class ConsoleAudit {
  constructor(private readonly table: TableClient) {}

  async record(entry: ActionRecord): Promise<void> {
    // Oldest first within the run: time, then a random tail for two actions in one millisecond.
    const rowKey = `${String(Date.parse(entry.at)).padStart(13, "0")}-${randomBytes(4).toString("hex")}`;
    try {
      await this.table.createEntity({ partitionKey: entry.runId, rowKey, ...entry });
    } catch (error) {
      throw storeError("record the console action", error);
    }
  }

  async list(runId: string): Promise<ActionRecord[]> {
    const actions: ActionRecord[] = [];
    try {
      for await (const row of this.table.listEntities<ActionRecord>({ queryOptions: { filter: odata`PartitionKey eq ${runId}` } })) {
        const { runId: id, action, actorId, actorName, via, at, outcome, comment } = row;
        actions.push({ runId: id, action, actorId, actorName, via, at, outcome, ...(comment ? { comment } : {}) });
        if (actions.length >= READ_LIMIT) break;
      }
    } catch (error) {
      throw storeError("read the console actions", error);
    }
    return actions;
  }
}
