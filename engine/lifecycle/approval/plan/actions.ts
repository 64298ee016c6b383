/**
 * What a dry run's step results say will be written, as a flat list of actions: each planned
 * Graph request (a batch's or a for-each's one by one), each runbook job or cmdlet, or an opaque
 * description. Read by shape, not by kind id, so a new kind's `describe` is planned without code here.
 */
import type { StepResult } from "../../../runtime/types";

export interface GraphAction {
  type: "graph";
  stepId: string;
  method: string;
  /** Percent-encoded, relative to the Graph version root, as the request would be sent. */
  path: string;
  body?: unknown;
}

/** A runbook job or an Exchange cmdlet: a named operation with parameters. */
export interface OperationAction {
  type: "operation";
  stepId: string;
  what: "runbook" | "cmdlet";
  name: string;
  parameters: Record<string, unknown>;
}

export interface OtherAction {
  type: "other";
  stepId: string;
  kind: string;
  value: unknown;
}

export type PlannedAction = GraphAction | OperationAction | OtherAction;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isGraphRequest(value: unknown): value is { method: string; path: string; body?: unknown } {
  return isRecord(value) && typeof value.method === "string" && typeof value.path === "string";
}

function actionOf(stepId: string, kind: string, value: unknown): PlannedAction[] {
  if (Array.isArray(value)) return value.flatMap((item) => actionOf(stepId, kind, item));
  if (isGraphRequest(value)) {
    // Reads inside a batch or a for-each were sent already; only writes are planned.
    if (value.method === "GET") return [];
    return [{ type: "graph", stepId, method: value.method, path: value.path, ...(value.body === undefined ? {} : { body: value.body }) }];
  }
  if (isRecord(value) && typeof value.runbook === "string") {
    return [{ type: "operation", stepId, what: "runbook", name: value.runbook, parameters: isRecord(value.parameters) ? value.parameters : {} }];
  }
  if (isRecord(value) && typeof value.cmdlet === "string") {
    return [{ type: "operation", stepId, what: "cmdlet", name: value.cmdlet, parameters: isRecord(value.parameters) ? value.parameters : {} }];
  }
  if (isRecord(value) && Object.values(value).length > 0 && Object.values(value).every(isGraphRequest)) {
    return Object.values(value).flatMap((request) => actionOf(stepId, kind, request));
  }
  return [{ type: "other", stepId, kind, value }];
}

/** The writes a dry run planned, in step order. Steps that ran (reads) or were skipped by `when` plan nothing. */
export function plannedActions(steps: readonly StepResult[]): PlannedAction[] {
  return steps.flatMap((step) => (step.planned === undefined || step.status !== "skipped" ? [] : actionOf(step.id, step.kind, step.planned)));
}
