/**
 * The sandbox's Exchange Online admin API: `POST /adminapi/beta/{tenant}/InvokeCommand` with
 * `{"CmdletInput":{"CmdletName":…,"Parameters":{…}}}`, answered over the same mailbox state the
 * runbooks change (./changes). Successes carry `value` and `@adminapi.warnings`; cmdlet failures
 * carry Exchange's `error.details` text; a cmdlet the app may not run is a 403 without a body.
 */
import type { TenantState } from "../tenant/types";
import { cmdletErrorBody, odataErrorBody } from "./errors";
import { bindParameters, findHandler } from "./cmdlets";

export interface ExchangeRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body; `bodyOk` false when it was not JSON. */
  body: unknown;
  bodyOk: boolean;
  tenant: TenantState;
  /** The server's own URL, for `@odata.context`. */
  baseUrl: string;
  /** The sandbox's clock (default: the wall clock). */
  now?: () => number;
}

export interface ExchangeResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; undefined = none at all. */
  body?: unknown;
}

const INVOKE_PATH = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i;
/** The permission an app needs on Office 365 Exchange Online to call the admin API app-only. */
export const MANAGE_AS_APP = "Exchange.ManageAsApp";

export function answerExchange(request: ExchangeRequest): ExchangeResult {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!token || token === "expired") return { status: 401, body: odataErrorBody("UnAuthorized", "The access token is missing, expired or not valid for this resource.") };
  const match = INVOKE_PATH.exec(request.path);
  if (!match) return { status: 404, body: odataErrorBody("NotFound", `The sandbox's Exchange serves /adminapi/beta/{tenant}/InvokeCommand; nothing at ${request.path}.`) };
  const { tenant } = request;
  const tenantSegment = decodeURIComponent(match[1]!).toLowerCase();
  if (tenantSegment !== tenant.tenantId.toLowerCase() && !tenant.domains.some((domain) => domain.id.toLowerCase() === tenantSegment)) {
    return { status: 404, body: odataErrorBody("NotFound", `Tenant '${tenantSegment}' is not this organisation.`) };
  }
  if (request.method !== "POST") return { status: 405, body: odataErrorBody("MethodNotAllowed", `InvokeCommand takes POST, not ${request.method}.`) };
  if (tenant.permissions !== undefined && !tenant.permissions.includes(MANAGE_AS_APP)) {
    return { status: 401, body: odataErrorBody("UnAuthorized", `The app holds no ${MANAGE_AS_APP} role on Office 365 Exchange Online.`) };
  }
  const input = request.bodyOk ? (request.body as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined)?.CmdletInput : undefined;
  if (!input || typeof input.CmdletName !== "string" || (input.Parameters !== undefined && (typeof input.Parameters !== "object" || input.Parameters === null || Array.isArray(input.Parameters)))) {
    return { status: 400, body: odataErrorBody("BadRequest", "The request body must be {\"CmdletInput\":{\"CmdletName\":…,\"Parameters\":{…}}}.") };
  }
  const found = findHandler(input.CmdletName);
  // Exchange refuses a cmdlet outside the app's roles (or unknown to it) with a bodiless 403.
  const held = tenant.exchangeCmdlets === undefined || tenant.exchangeCmdlets.some((name) => name.toLowerCase() === input.CmdletName!.toString().toLowerCase());
  if (!found || !held) return { status: 403 };
  const bound = bindParameters(found.cmdlet, (input.Parameters ?? {}) as Record<string, unknown>);
  const result = "error" in bound ? bound : found.handler(tenant, bound.parameters, { now: request.now ?? Date.now });
  if ("error" in result) return { status: result.error.status, body: cmdletErrorBody(result.error) };
  return {
    status: 200,
    body: {
      "@odata.context": `${request.baseUrl}/adminapi/beta/${tenant.tenantId}/$metadata#Collection(Exchange.GenericHashTable)`,
      "adminapi.warnings@odata.type": "#Collection(String)",
      "@adminapi.warnings": result.warnings,
      value: result.value,
    },
  };
}

/**
 * A fault rule's answer in Exchange's words: the status and headers the rule chose (429 with its
 * Retry-After, 503, 504), with an Exchange-style body instead of Graph's.
 */
export function exchangeFault(status: number, headers: Record<string, string> = {}): ExchangeResult {
  const message =
    status === 429 ? "The request was throttled. Retry after the number of seconds in the Retry-After header."
      : status === 503 ? "The service is temporarily unavailable."
        : "The gateway did not receive a response in time.";
  const code = status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "GatewayTimeout";
  return { status, headers, body: odataErrorBody(code, message) };
}
