/**
 * A dry run's result → the plan an approver reads: its planned writes in words, with the reads
 * that show what they change (one `$batch`), grouped where one step repeats one kind of change.
 * A read that fails (other than "not found") fails the plan rather than show a value that is not
 * the tenant's: a plan is compared with itself later, and a guess would read as a change.
 */
import { hash } from "node:crypto";
import type { GraphClient, GraphRequest, GraphResponse } from "../../../clients/graph/types";
import { IntentError } from "../../../core/errors";
import type { ReportedError, RunResult, StepResult } from "../../../runtime/types";
import { plannedActions, type PlannedAction } from "./actions";
import { graphChange, graphReads, type DraftChange, type ReadAnswer } from "./graph-changes";
import type { Plan, PlanChange } from "./types";
import { leaves, showValue } from "./values";

/** Errors of a step that could not render because an earlier write's answer does not exist yet. */
const NEEDS_EARLIER_ANSWER = new Set(["TEMPLATE_RENDER", "TEMPLATE_URL_SEGMENT", "STEP_INPUT_INVALID"]);

export type PlanOutcome = { plan: Plan } | { error: ReportedError };

function keyOf(request: GraphRequest): string {
  return `${request.path}?${new URLSearchParams(request.query ?? {}).toString()}`;
}

/** Sends each distinct read once; 404 reads as "not there", any other failure fails the plan. */
async function readAll(graph: Pick<GraphClient, "batch"> | undefined, requests: GraphRequest[]): Promise<ReadAnswer> {
  const unique = [...new Map(requests.map((request) => [keyOf(request), request])).values()];
  const answers = new Map<string, unknown>();
  if (graph && unique.length > 0) {
    const responses: GraphResponse[] = await graph.batch(unique);
    unique.forEach((request, i) => {
      const response = responses[i];
      const status = response?.status ?? 0;
      if (status === 404) return;
      if (status < 200 || status >= 300) {
        throw new IntentError("GRAPH_ERROR", `Reading ${request.path} for the plan failed with ${status}.`, {
          retryable: status === 429 || status >= 500,
          fix: "Send the request again; nothing was changed.",
        });
      }
      answers.set(keyOf(request), response?.body);
    });
  }
  return (request) => answers.get(keyOf(request));
}

function draftOf(action: PlannedAction, read: ReadAnswer): DraftChange {
  switch (action.type) {
    case "graph":
      return graphChange(action, read);
    case "operation":
      return {
        summary: action.what === "runbook" ? `Run the Azure Automation runbook ${action.name}` : `Run the Exchange Online command ${action.name}`,
        fields: Object.entries(action.parameters).map(([name, value]) => ({ name, after: showValue(value) })),
        items: [],
      };
    default:
      return { summary: `Step ${action.stepId} (${action.kind})`, fields: leaves(action.value).map(([name, value]) => ({ name, after: showValue(value) })), items: [] };
  }
}

/** Consecutive changes of one step in one group become one change listing their items. */
function grouped(actions: PlannedAction[], drafts: DraftChange[]): PlanChange[] {
  const changes: PlanChange[] = [];
  let open: { change: PlanChange; key: string; summary: (n: number) => string } | undefined;
  drafts.forEach((draft, i) => {
    const stepId = actions[i]!.stepId;
    if (draft.group && open && open.key === `${stepId} ${draft.group.key}`) {
      open.change.items.push(...draft.items);
      open.change.summary = open.summary(open.change.items.length);
      return;
    }
    const change: PlanChange = { stepId, summary: draft.summary, fields: draft.fields, items: [...draft.items] };
    changes.push(change);
    open = draft.group ? { change, key: `${stepId} ${draft.group.key}`, summary: draft.group.summary } : undefined;
    if (open) change.summary = open.summary(change.items.length);
  });
  return changes;
}

/** Where a dry run stopped on a step that needs an earlier write's answer, that step; else its error. */
function stopOf(steps: readonly StepResult[]): { unplanned: string[] } | { error: ReportedError } {
  const last = steps[steps.length - 1];
  if (last?.status !== "failed") return { unplanned: [] };
  const afterWrite = steps.slice(0, -1).some((step) => step.status === "skipped" && step.planned !== undefined);
  if (afterWrite && NEEDS_EARLIER_ANSWER.has(String(last.error?.code))) return { unplanned: [last.id] };
  return { error: last.error ?? { code: "STEP_FAILED", message: `Step ${last.id} failed while planning.` } };
}

export function fingerprintOf(changes: readonly PlanChange[], unplanned: readonly string[]): string {
  // When a delayed change happens moves with the day the run is checked on; what it changes does not.
  const what = changes.map(({ later: _later, ...change }) => change);
  return hash("sha256", JSON.stringify({ changes: what, unplanned }), "hex");
}

/**
 * The plan of a dry run: `graph` reads the current values (none offline, where the plan shows
 * new values only). A dry run that failed on a read (the user does not exist) has no plan.
 */
export async function planOf(dryRun: Pick<RunResult, "steps" | "error">, graph: Pick<GraphClient, "batch"> | undefined): Promise<PlanOutcome> {
  const stop = stopOf(dryRun.steps);
  if ("error" in stop) return stop;
  const actions = plannedActions(dryRun.steps);
  const read = await readAll(graph, actions.flatMap((action) => (action.type === "graph" ? graphReads(action) : [])));
  const changes = grouped(actions, actions.map((action) => draftOf(action, read)));
  return { plan: { changes, unplanned: stop.unplanned, fingerprint: fingerprintOf(changes, stop.unplanned) } };
}
