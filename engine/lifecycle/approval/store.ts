/**
 * Approval records on Azure Tables: one row per approval (PK "approval", RK the approval id), so
 * the sweeper and the console list them from one partition. Every change is conditional on the
 * row's ETag: of two decisions that race, exactly one is recorded, and the other learns it. The
 * plan and the sealed input can be long, so each is split over as many properties as it needs.
 */
import type { TableClient } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { storageStatus, storeError } from "../store/tables";
import { asciiJson, boundedJson } from "../store/summarise";
import { PROPERTY_CHARS, splitText } from "../store/table-text";
import type { ApprovalRecord, ApprovalState } from "./types";

export const APPROVALS_TABLE = "intentapprovals";
const PARTITION = "approval";
/** What the plan may take of a row (the rest is the sealed input and the record's own columns). */
const PLAN_CHARS = 128_000;

export interface ApprovalStore {
  /** Inserts a new approval; its id is random, so a conflict is a bug, reported as a store error. */
  create(record: ApprovalRecord): Promise<ApprovalRecord>;
  get(approvalId: string): Promise<ApprovalRecord | undefined>;
  /** Writes `changes` if nobody changed the record since it was read; undefined when somebody did. */
  update(record: ApprovalRecord, changes: Partial<Omit<ApprovalRecord, "approvalId" | "runId" | "etag">>): Promise<ApprovalRecord | undefined>;
  /** Every approval in a state, oldest request first. */
  list(state: ApprovalState): Promise<ApprovalRecord[]>;
}

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag?: string };

function columns(prefix: string, text: string): Record<string, string | number> {
  const parts = splitText(text, PROPERTY_CHARS);
  return { [`${prefix}Parts`]: parts.length, ...Object.fromEntries(parts.map((part, i) => [`${prefix}${i}`, part])) };
}

function fromColumns(entity: Entity, prefix: string): string {
  const count = Number(entity[`${prefix}Parts`] ?? 0);
  let text = "";
  for (let i = 0; i < count; i++) text += String(entity[`${prefix}${i}`] ?? "");
  return text;
}

function toEntity(record: ApprovalRecord): Entity {
  return {
    partitionKey: PARTITION,
    rowKey: record.approvalId,
    runId: record.runId,
    state: record.state,
    intentName: record.intentName,
    ticketId: record.ticketId,
    requester: asciiJson(record.requester),
    target: record.target ?? "",
    approvers: asciiJson(record.approvers),
    requestedAt: record.requestedAt,
    expiresAt: record.expiresAt,
    decision: record.decision ? asciiJson(record.decision) : "",
    supersedes: record.supersedes ?? "",
    queuedAt: record.queuedAt ?? "",
    ...columns("plan", boundedJson(record.plan, PLAN_CHARS)),
    ...columns("input", record.sealedInput),
  };
}

function toRecord(entity: Entity): ApprovalRecord {
  const text = (name: string) => String(entity[name] ?? "");
  return {
    approvalId: entity.rowKey,
    runId: text("runId"),
    state: text("state") as ApprovalState,
    intentName: text("intentName"),
    ticketId: text("ticketId"),
    requester: JSON.parse(text("requester")) as ApprovalRecord["requester"],
    ...(text("target") ? { target: text("target") } : {}),
    plan: JSON.parse(fromColumns(entity, "plan")) as ApprovalRecord["plan"],
    approvers: JSON.parse(text("approvers")) as ApprovalRecord["approvers"],
    requestedAt: text("requestedAt"),
    expiresAt: Number(entity.expiresAt),
    ...(text("decision") ? { decision: JSON.parse(text("decision")) as ApprovalRecord["decision"] } : {}),
    ...(text("supersedes") ? { supersedes: text("supersedes") } : {}),
    ...(text("queuedAt") ? { queuedAt: text("queuedAt") } : {}),
    sealedInput: fromColumns(entity, "input"),
    ...(entity.etag ? { etag: entity.etag } : {}),
  };
}

export class TableApprovalStore implements ApprovalStore {
  constructor(private readonly table: TableClient) {}

  async create(record: ApprovalRecord): Promise<ApprovalRecord> {
    try {
      const response = await this.table.createEntity(toEntity(record));
      return { ...record, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (error) {
      throw storeError("record the approval", error);
    }
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    try {
      return toRecord(await this.table.getEntity<Entity>(PARTITION, approvalId));
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storeError("read the approval", error);
    }
  }

  async update(record: ApprovalRecord, changes: Partial<Omit<ApprovalRecord, "approvalId" | "runId" | "etag">>): Promise<ApprovalRecord | undefined> {
    const next: ApprovalRecord = { ...record, ...changes };
    try {
      const response = await this.table.updateEntity(toEntity(next), "Replace", { etag: record.etag ?? "*" });
      return { ...next, ...(response.etag ? { etag: response.etag } : {}) };
    } catch (error) {
      const status = storageStatus(error);
      if (status === 412 || status === 404) return undefined;
      throw storeError("record the approval's decision", error);
    }
  }

  async list(state: ApprovalState): Promise<ApprovalRecord[]> {
    const records: ApprovalRecord[] = [];
    try {
      const rows = this.table.listEntities<Entity>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and state eq ${state}` } });
      for await (const row of rows) records.push(toRecord(row));
    } catch (error) {
      throw storeError("list approvals", error);
    }
    return records.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }
}
