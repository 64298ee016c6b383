/**
 * /subscriptions on the sandbox's Graph: create (after the validation handshake), list, get, renew
 * (PATCH), delete and reauthorize. Users and groups only, as the engine's triggers need.
 */
import { randomUUID } from "node:crypto";
import { graphError } from "../graph/errors";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { GROUP_READ, USER_READ } from "../routes/permissions";
import { validateEndpoint } from "./sender";
import { liveSubscriptions, MAX_LIFETIME_MINUTES, subscriptionState, type SandboxChangeType, type SandboxSubscription, type WatchedCollection } from "./state";

const CHANGE_TYPES: readonly SandboxChangeType[] = ["created", "updated", "deleted"];
const RESOURCE = /^\/?(users|groups)(?:\/([0-9a-fA-F-]{36}))?$/i;

function invalid(message: string): GraphResult {
  return graphError(400, "InvalidRequest", message);
}

function missing(id: string): GraphResult {
  return graphError(404, "ResourceNotFound", `The subscription '${id}' was not found.`);
}

function json(ctx: RouteContext, sub: SandboxSubscription, status = 200): GraphResult {
  return {
    status,
    body: {
      "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#subscriptions/$entity`,
      id: sub.id,
      resource: sub.resource,
      applicationId: "00000000-0000-0000-0000-00000000a991",
      changeType: sub.changeTypes.join(","),
      // Graph does not read clientState back; only notifications carry it.
      clientState: null,
      notificationUrl: sub.notificationUrl,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl ?? null,
      expirationDateTime: sub.expirationDateTime,
      creatorId: "00000000-0000-0000-0000-00000000a991",
      includeResourceData: false,
      latestSupportedTlsVersion: "v1_2",
    },
  };
}

/** An expiry in the future and within the resource's maximum lifetime, or the error Graph gives. */
function expiryProblem(ctx: RouteContext, value: unknown): GraphResult | undefined {
  const at = typeof value === "string" ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return invalid("expirationDateTime is required and must be an ISO 8601 date and time.");
  const now = ctx.env.now();
  if (at <= now) return invalid("Subscription expiration must be in the future.");
  if (at > now + MAX_LIFETIME_MINUTES * 60_000) return invalid(`Subscription expiration can only be ${MAX_LIFETIME_MINUTES} minutes in the future.`);
  return undefined;
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === "string" && /^https?:\/\//i.test(value) && URL.canParse(value);
}

function parseResource(value: unknown): { collection: WatchedCollection; objectId?: string } | undefined {
  const match = typeof value === "string" ? RESOURCE.exec(value) : null;
  if (!match) return undefined;
  return { collection: (match[1] as string).toLowerCase() as WatchedCollection, ...(match[2] ? { objectId: match[2].toLowerCase() } : {}) };
}

async function create(ctx: RouteContext): Promise<GraphResult> {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const target = parseResource(body.resource);
  if (!target) return invalid(`Resource '${String(body.resource)}' is not supported by the sandbox; use users, groups, users/{id} or groups/{id}.`);
  const changeTypes = typeof body.changeType === "string" ? body.changeType.split(",").map((t) => t.trim()) : [];
  if (changeTypes.length === 0 || changeTypes.some((t) => !CHANGE_TYPES.includes(t as SandboxChangeType))) {
    return invalid("changeType must be a comma-separated list of created, updated and deleted.");
  }
  if (!isHttpUrl(body.notificationUrl)) return invalid("notificationUrl must be an absolute http(s) URL.");
  if (body.lifecycleNotificationUrl !== undefined && !isHttpUrl(body.lifecycleNotificationUrl)) return invalid("lifecycleNotificationUrl must be an absolute http(s) URL.");
  if (body.clientState !== undefined && (typeof body.clientState !== "string" || body.clientState.length > 128)) {
    return invalid("clientState must be a string of at most 128 characters.");
  }
  const problem = expiryProblem(ctx, body.expirationDateTime);
  if (problem) return problem;
  for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
    if (typeof url === "string" && !(await validateEndpoint(ctx.env, url))) {
      return invalid("Subscription validation request failed. Response must exactly match validationToken query parameter.");
    }
  }
  const sub: SandboxSubscription = {
    id: randomUUID(),
    resource: body.resource as string,
    ...target,
    changeTypes: changeTypes as SandboxChangeType[],
    notificationUrl: body.notificationUrl,
    ...(typeof body.lifecycleNotificationUrl === "string" ? { lifecycleNotificationUrl: body.lifecycleNotificationUrl } : {}),
    ...(typeof body.clientState === "string" ? { clientState: body.clientState } : {}),
    expirationDateTime: new Date(Date.parse(body.expirationDateTime as string)).toISOString(),
    createdDateTime: new Date(ctx.env.now()).toISOString(),
  };
  subscriptionState(ctx.env).subscriptions.set(sub.id, sub);
  return json(ctx, sub, 201);
}

function find(ctx: RouteContext): SandboxSubscription | undefined {
  return liveSubscriptions(ctx.env).find((sub) => sub.id === ctx.params.id?.toLowerCase());
}

function renew(ctx: RouteContext): GraphResult {
  const sub = find(ctx);
  if (!sub) return missing(ctx.params.id as string);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const problem = expiryProblem(ctx, body.expirationDateTime);
  if (problem) return problem;
  sub.expirationDateTime = new Date(Date.parse(body.expirationDateTime as string)).toISOString();
  return json(ctx, sub);
}

function remove(ctx: RouteContext): GraphResult {
  const sub = find(ctx);
  if (!sub) return missing(ctx.params.id as string);
  subscriptionState(ctx.env).subscriptions.delete(sub.id);
  return { status: 204 };
}

function reauthorize(ctx: RouteContext): GraphResult {
  return find(ctx) ? { status: 204 } : missing(ctx.params.id as string);
}

/** Reading or creating a subscription needs read access to what it watches. */
function watchPermissions(ctx: RouteContext): readonly string[] {
  const resource = parseResource((ctx.body as { resource?: unknown } | undefined)?.resource);
  return resource?.collection === "groups" ? GROUP_READ : USER_READ;
}

export const SUBSCRIPTION_ROUTES: readonly Route[] = [
  { method: "POST", pattern: "/subscriptions", permissions: watchPermissions, handler: create },
  {
    method: "GET",
    pattern: "/subscriptions",
    permissions: [...USER_READ, ...GROUP_READ],
    handler: (ctx) => ({ status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#subscriptions`, value: liveSubscriptions(ctx.env).map((s) => json(ctx, s).body) } }),
  },
  { method: "GET", pattern: "/subscriptions/:id", permissions: [...USER_READ, ...GROUP_READ], handler: (ctx) => { const sub = find(ctx); return sub ? json(ctx, sub) : missing(ctx.params.id as string); } },
  { method: "PATCH", pattern: "/subscriptions/:id", permissions: [...USER_READ, ...GROUP_READ], handler: renew },
  { method: "DELETE", pattern: "/subscriptions/:id", permissions: [...USER_READ, ...GROUP_READ], handler: remove },
  { method: "POST", pattern: "/subscriptions/:id/reauthorize", permissions: [...USER_READ, ...GROUP_READ], handler: reauthorize },
];
