/**
 * Stub of the sandbox's Azure Resource Manager (Automation jobs) API. The runbooks part replaces
 * this file; the server sends every path starting `/subscriptions/` here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TenantState } from "../tenant/types";

export interface ArmRequestContext {
  /** The live tenant; runbook effects change it in place. */
  tenant: TenantState;
  now: () => number;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
}

/** Answers one ARM request. Returns the status it sent, for the request log. */
export async function handleArmRequest(_req: IncomingMessage, res: ServerResponse, ctx: ArmRequestContext): Promise<number> {
  const body = JSON.stringify({
    error: { code: "ResourceNotFound", message: `The Resource '${ctx.path}' was not found.` },
  });
  res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
  res.end(body);
  return 404;
}
