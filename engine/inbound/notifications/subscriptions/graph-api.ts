/** Graph's /subscriptions calls, with refusals turned into SUBSCRIPTION_FAILED (never echoing clientState). */
import type { GraphClient, GraphResponse } from "../../../clients/graph/types";
import { IntentError } from "../../../core/errors";
import type { SubscriptionTarget } from "../triggers";

function refused(action: string, response: GraphResponse): IntentError {
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : "unknown";
  const message = typeof error?.message === "string" ? error.message : "";
  return new IntentError("SUBSCRIPTION_FAILED", `Graph refused to ${action} (${response.status} ${code}): ${message}`.trim(), {
    retryable: response.status === 429 || response.status >= 500,
    details: { status: response.status, code },
    fix: response.status === 403
      ? "Grant the app registration the read permission for the watched resource (User.Read.All / Group.Read.All)."
      : "Check that the notification URL is public and answers the validation handshake.",
  });
}

export interface CreatedSubscription {
  id: string;
  expiresAt: string;
}

export async function createSubscription(graph: GraphClient, target: SubscriptionTarget, url: string, clientState: string, expiresAt: string): Promise<CreatedSubscription> {
  const response = await graph.request({
    method: "POST",
    path: "/subscriptions",
    // One endpoint takes both kinds: lifecycle items are told apart by their lifecycleEvent.
    body: { changeType: target.changeTypes.join(","), notificationUrl: url, lifecycleNotificationUrl: url, resource: `/${target.resource}`, expirationDateTime: expiresAt, clientState },
  });
  const body = response.body as { id?: unknown; expirationDateTime?: unknown } | null;
  if (response.status !== 201 || typeof body?.id !== "string") throw refused(`create a subscription on ${target.resource}`, response);
  return { id: body.id, expiresAt: typeof body.expirationDateTime === "string" ? body.expirationDateTime : expiresAt };
}

/** False when Graph no longer has the subscription (expired or removed): it must be created again. */
export async function renewSubscription(graph: GraphClient, id: string, expiresAt: string): Promise<boolean> {
  const response = await graph.request({ method: "PATCH", path: `/subscriptions/${encodeURIComponent(id)}`, body: { expirationDateTime: expiresAt } });
  if (response.status === 404) return false;
  if (response.status !== 200) throw refused("renew a subscription", response);
  return true;
}

export async function deleteSubscription(graph: GraphClient, id: string): Promise<void> {
  const response = await graph.request({ method: "DELETE", path: `/subscriptions/${encodeURIComponent(id)}` });
  if (response.status !== 204 && response.status !== 404) throw refused("delete a subscription", response);
}
