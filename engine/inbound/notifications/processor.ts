/**
 * The queue handler's work for one change: read the changed object once, then for each intent the
 * change triggers, test its condition, map its fields and run it under its own idempotency key
 * (subscription + resource + change type + the change's identity), so a redelivery runs once.
 */
import { IntentError } from "../../core/errors";
import type { GraphClient } from "../../clients/graph/types";
import { runClaimed } from "../../lifecycle/execute/runner";
import { holds } from "../../runtime/conditions";
import type { EventSink, RunContext } from "../../runtime/types";
import { idempotencyKey, runIdFor } from "../../lifecycle/store/run-key";
import type { ChangeType } from "../../language/spec/types";
import { membershipDelta } from "./members/membership";
import { changedObject, matchingTriggers, memberTriggers, watchedGroup, type ChangedObject } from "./triggers";
import type { ChangeItem, NotificationDeps, TriggeredIntent } from "./types";

const REQUESTER = "Microsoft Graph change notification";

/** The object with every selected property present (null when unset), so strict templates can read it. */
function complete(selected: readonly string[], body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(selected.map((name) => [name, body[name] ?? null]));
}

/** The changed object's current state; undefined when it is already gone again. */
async function readObject(graph: GraphClient, changed: ChangedObject, selected: readonly string[]): Promise<Record<string, unknown> | undefined> {
  const response = await graph.request({
    method: "GET",
    path: `/${changed.collection}/${encodeURIComponent(changed.id)}`,
    query: { $select: selected.join(",") },
  });
  if (response.status === 404) return undefined;
  if (response.status !== 200 || typeof response.body !== "object" || response.body === null) {
    // Thrown retryable: the message comes back later, as Graph's own retries would.
    throw new IntentError("GRAPH_ERROR", `Reading the changed object answered ${response.status}.`, { retryable: true });
  }
  return complete(selected, response.body as Record<string, unknown>);
}

/** Labels → values, the way Thread would send them, so the intent's own mapping and checks apply. */
function renderFields(binding: TriggeredIntent, scope: object): Record<string, unknown> {
  const byLabel: Record<string, unknown> = {};
  for (const [variable, template] of binding.trigger.fields) {
    const field = binding.intent.fields.find((f) => f.variable === variable);
    if (field) byLabel[field.label] = template.render(scope);
  }
  return byLabel;
}

/** One change as a run key sees it: for members, the member and the snapshot version stand in for Graph's resource. */
interface ChangeRun {
  subscriptionId: string;
  changeType: ChangeType;
  keyResource: string;
}

async function runTrigger(deps: NotificationDeps, binding: TriggeredIntent, change: ChangeRun, object: Record<string, unknown>, events: EventSink): Promise<void> {
  const { intent, trigger } = binding;
  const scope = { resource: object, settings: deps.pipeline.services.settings, constants: intent.plan.constants };
  const base = { intentName: intent.name, subscriptionId: change.subscriptionId, changeType: change.changeType };
  let labels: Record<string, unknown>;
  try {
    if (!holds(trigger.when, scope)) return events("trigger_skipped", base);
    labels = renderFields(binding, scope);
  } catch (thrown) {
    return events("trigger_render_failed", { ...base, code: thrown instanceof IntentError ? thrown.code : "TEMPLATE_RENDER" });
  }
  const mapped = deps.pipeline.engine.mapFields(intent, labels);
  if (!mapped.ok) return events("trigger_fields_invalid", { ...base, fields: mapped.errors.map((e) => e.label) });
  // created and deleted happen once per object; an update is told apart by the state it produced.
  const identity = change.changeType === "updated" ? mapped.identity : "";
  const runId = runIdFor(idempotencyKey(`graph:${change.subscriptionId}:${change.keyResource.toLowerCase()}:${change.changeType}`, intent.name, identity));
  const run: RunContext = { runId, ticketId: "", intentName: intent.name, contactName: REQUESTER, contactEmail: "", companyName: "" };
  // Kept with the run (sealed) for the abandoned-run sweep; not one policy judges, so cleared.
  const kept = { intentName: intent.name, fields: mapped.fields, secretValues: mapped.secretValues, run, cleared: true as const };
  const claim = await deps.pipeline.store.claim({ runId, ticketId: "", intentName: intent.name, input: kept });
  if (claim.kind === "existing") return events("duplicate", { ...base, runId, status: claim.record.status });
  events("triggered", { ...base, runId });
  const input = { intentName: intent.name, fields: mapped.fields, secretValues: mapped.secretValues, run: { ...run, startedAt: claim.lease.record.createdAt } };
  const outcome = await runClaimed(deps.pipeline, { intent, input, lease: claim.lease, budgetMs: deps.pipeline.settings.continuationBudgetMs, accepted: false }, events);
  // Stopped without an end recorded: the notification comes back, and the run's next holder finishes it.
  if (outcome.kind === "stopped") throw new IntentError("RUN_IN_PROGRESS", "The triggered run stopped before it ended; the notification will be handled again.", { retryable: true });
}

const selectionOf = (bindings: readonly TriggeredIntent[]) => [...new Set(bindings.flatMap((b) => b.trigger.select))];

/** A group's update: runs its members triggers for each member added (created) or removed (deleted) since the snapshot. */
async function processMembers(deps: NotificationDeps, item: ChangeItem, groupId: string, events: EventSink): Promise<void> {
  const { graph } = deps;
  const delta = await membershipDelta(graph, deps.snapshots, groupId);
  if (!delta) return events("members_baseline", { subscriptionId: item.subscriptionId });
  const changes = [["created", delta.added], ["deleted", delta.removed]] as const;
  for (const [changeType, memberIds] of changes) {
    const bindings = memberTriggers(deps.triggers, groupId, changeType);
    const selected = selectionOf(bindings);
    for (const memberId of bindings.length > 0 ? memberIds : []) {
      // A member that is not a user (a group, a device) reads as its id alone.
      const object = (await readObject(graph, { collection: "users", id: memberId }, selected)) ?? complete(selected, { id: memberId });
      const change = { subscriptionId: item.subscriptionId, changeType, keyResource: `groups/${groupId}/members/${memberId}@${delta.version}` };
      for (const binding of bindings) await runTrigger(deps, binding, change, object, events);
    }
  }
  if (delta.added.length + delta.removed.length > 0) await delta.commit();
}

export async function processChange(deps: NotificationDeps, item: ChangeItem, events: EventSink): Promise<void> {
  const changed = changedObject(item.resource);
  const bindings = changed ? matchingTriggers(deps.triggers, changed, item.changeType) : [];
  const members = changed?.collection === "groups" && item.changeType === "updated" && deps.triggers.some((b) => watchedGroup(b.trigger.resource) === changed.id.toLowerCase());
  if (!changed || (bindings.length === 0 && !members)) return events("notification_unmatched", { subscriptionId: item.subscriptionId, changeType: item.changeType });
  if (bindings.length > 0) {
    const selected = selectionOf(bindings);
    const object = item.changeType === "deleted"
      ? complete(selected, { id: item.resourceData?.id ?? changed.id })
      : await readObject(deps.graph, changed, selected);
    if (!object) events("notification_object_gone", { subscriptionId: item.subscriptionId, changeType: item.changeType });
    else {
      const change = { subscriptionId: item.subscriptionId, changeType: item.changeType, keyResource: item.resource };
      for (const binding of bindings) await runTrigger(deps, binding, change, object, events);
    }
  }
  if (members) await processMembers(deps, item, changed.id.toLowerCase(), events);
}
