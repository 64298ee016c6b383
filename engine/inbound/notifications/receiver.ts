/**
 * `POST /api/notifications` as a plain function: the validation handshake, then a batch of change
 * or lifecycle notifications. Each item's clientState is checked; the good ones are queued and the
 * answer is 202 at once (Graph wants one within 3 seconds). Nothing runs here.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import { readLimitedBody } from "../webhook/body";
import type { EventSink } from "../../runtime/types";
import { clientStateMatches } from "./client-state";
import type { ChangeItem, LifecycleItem, NotificationDeps, NotificationMessage } from "./types";

export interface NotificationRequest {
  query(name: string): string | null;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface NotificationAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** Graph batches many items per POST; well above what one batch holds, well below a memory risk. */
export const NOTIFICATION_MAX_BYTES = 1024 * 1024;

const CHANGE_TYPES = new Set(["created", "updated", "deleted"]);
const LIFECYCLE_EVENTS = new Set(["reauthorizationRequired", "subscriptionRemoved", "missed"]);

function json(status: number, body: unknown): NotificationAnswer {
  return { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, body: JSON.stringify(body) };
}

/** Graph's handshake: the decoded token as plain text, never as HTML (nosniff), so it cannot reflect script. */
function handshake(token: string): NotificationAnswer {
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store" }, body: token };
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/** The item without its clientState, or undefined when it is neither a change nor a lifecycle item. */
function toMessage(raw: Record<string, unknown>): NotificationMessage | undefined {
  if (!isText(raw.subscriptionId)) return undefined;
  const tenant = isText(raw.tenantId) ? { tenantId: raw.tenantId } : {};
  if (isText(raw.lifecycleEvent)) {
    if (!LIFECYCLE_EVENTS.has(raw.lifecycleEvent)) return undefined;
    const item: LifecycleItem = { subscriptionId: raw.subscriptionId, lifecycleEvent: raw.lifecycleEvent as LifecycleItem["lifecycleEvent"], ...tenant };
    return { kind: "lifecycle", item };
  }
  if (!isText(raw.changeType) || !CHANGE_TYPES.has(raw.changeType) || !isText(raw.resource)) return undefined;
  const data = raw.resourceData as { id?: unknown } | undefined;
  const item: ChangeItem = {
    subscriptionId: raw.subscriptionId,
    changeType: raw.changeType as ChangeItem["changeType"],
    resource: raw.resource,
    ...tenant,
    ...(isText(data?.id) ? { resourceData: { id: data.id } } : {}),
  };
  return { kind: "change", item };
}

function parseItems(raw: Buffer): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new IntentError("NOTIFICATION_INVALID", "The notification body is not valid JSON.");
  }
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw new IntentError("NOTIFICATION_INVALID", "The notification body has no value array.");
  return value;
}

export async function handleNotifications(deps: NotificationDeps, request: NotificationRequest, events: EventSink): Promise<NotificationAnswer> {
  const token = request.query("validationToken");
  if (token !== null) {
    events("notification_handshake", {});
    return handshake(token);
  }
  let items: unknown[];
  try {
    items = parseItems(await readLimitedBody(request.body, request.header("content-length"), deps.maxBodyBytes));
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    events("notification_rejected", { code: error.code });
    return json(error.code === "WEBHOOK_TOO_LARGE" ? 413 : 400, { message: "This notification could not be read.", error: error.toJSON() });
  }
  const expected = await deps.clientState();
  const accepted: NotificationMessage[] = [];
  let wrongState = 0;
  let malformed = 0;
  for (const raw of items) {
    const item = (raw ?? {}) as Record<string, unknown>;
    // A wrong clientState means the item did not come from our subscription: ignore it, run nothing.
    if (!clientStateMatches(item.clientState, expected)) {
      wrongState++;
      continue;
    }
    const message = toMessage(item);
    if (message) accepted.push(message);
    else malformed++;
  }
  if (wrongState > 0) events("notification_rejected", { reason: "clientState", items: wrongState });
  if (malformed > 0) events("notification_rejected", { reason: "malformed", items: malformed });
  try {
    await Promise.all(accepted.map((message) => deps.queue.send(message)));
  } catch (thrown) {
    // Not accepted: Graph redelivers on a non-2xx answer, and the run keys make a redelivery harmless.
    events("notification_queue_failed", { code: ensureIntentError(thrown).code });
    return json(503, { message: "The service is busy right now.", error: ensureIntentError(thrown).toJSON() });
  }
  events("notifications_accepted", { items: accepted.length, of: items.length });
  return { status: 202, headers: { "cache-control": "no-store" } };
}
