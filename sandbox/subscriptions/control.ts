/**
 * `/_sandbox/subscriptions`: what the sandbox's Graph has registered and delivered, and a way to
 * play Graph's lifecycle events. `GET …?settle=true` first waits for deliveries in flight, so a
 * test can act, settle, then look.
 */
import type { GraphEnv } from "../graph/types";
import { lifecycleItem } from "./changes";
import { deliver, settle } from "./sender";
import { liveSubscriptions, subscriptionState } from "./state";

export interface SubscriptionControlAnswer {
  status: number;
  body?: unknown;
}

const LIFECYCLE_EVENTS = ["reauthorizationRequired", "subscriptionRemoved", "missed"];

function problem(status: number, message: string): SubscriptionControlAnswer {
  return { status, body: { error: { code: status === 404 ? "NotFound" : "BadRequest", message } } };
}

export async function handleSubscriptionControl(env: GraphEnv, method: string, url: URL, body: unknown): Promise<SubscriptionControlAnswer> {
  const parts = url.pathname.split("/").filter(Boolean); // ["_sandbox", "subscriptions", id?, "lifecycle"?]
  if (method === "GET" && parts.length === 2) {
    if (url.searchParams.get("settle") === "true") await settle(env);
    return { status: 200, body: { subscriptions: liveSubscriptions(env), deliveries: subscriptionState(env).deliveries } };
  }
  if (method === "POST" && parts.length === 4 && parts[3] === "lifecycle") {
    const sub = liveSubscriptions(env).find((s) => s.id === parts[2]);
    if (!sub) return problem(404, `No live subscription ${parts[2] ?? ""}.`);
    const event = (body as { lifecycleEvent?: unknown } | undefined)?.lifecycleEvent;
    if (typeof event !== "string" || !LIFECYCLE_EVENTS.includes(event)) return problem(400, `lifecycleEvent must be one of ${LIFECYCLE_EVENTS.join(", ")}.`);
    if (!sub.lifecycleNotificationUrl) return problem(400, "The subscription has no lifecycleNotificationUrl.");
    // Graph has already dropped a removed subscription when it says so.
    if (event === "subscriptionRemoved") subscriptionState(env).subscriptions.delete(sub.id);
    deliver(env, sub.lifecycleNotificationUrl, "lifecycle", [lifecycleItem(env, sub, event)]);
    return { status: 202, body: { sent: event } };
  }
  if (method === "DELETE" && parts.length === 2) {
    const state = subscriptionState(env);
    state.deliveries.length = 0;
    return { status: 204 };
  }
  return problem(404, `Nothing at ${url.pathname}.`);
}
