/**
 * The sandbox's Azure Resource Manager surface: the Automation jobs API (Job - Create, Job - Get,
 * job output) with runbook effects applied to the tenant. The server sends every path starting
 * `/subscriptions/` here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Where an ARM answer is written: the wire, or a sink when a fault replaces the answer after the call ran. */
export type ArmResponse = Pick<ServerResponse, "writeHead" | "end">;
import type { TenantState } from "../tenant/types";
import { checkJobRequest } from "./job-request";
import { armError, jobResource, type JobScope } from "./job-resource";
import { armJobStore, type ArmJobRule } from "./jobs";

export { armJobStore, type ArmJobRule, type ArmJobOptions, type SandboxJob, ArmJobStore } from "./jobs";

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

const ACCOUNT_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Automation\/automationAccounts\/([^/]+)\/(.+)$/i;

/** Answers one ARM request. Returns the status it sent, for the request log. */
export async function handleArmRequest(req: IncomingMessage, res: ArmResponse, ctx: ArmRequestContext): Promise<number> {
  if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) {
    return send(res, 401, armError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or not a Bearer token."));
  }
  const match = ACCOUNT_PATH.exec(ctx.path);
  if (!match) return notFound(res, ctx.path);
  const scope: JobScope = { subscription: decode(match[1]!), resourceGroup: decode(match[2]!), account: decode(match[3]!) };
  const rest = match[4]!.split("/").map(decode);
  const store = armJobStore(ctx.tenant);

  // Sandbox control (not ARM): fault rules and lifecycle settings for this account's jobs.
  if (rest[0] === "_sandbox" && rest[1] === "jobRules" && rest.length === 2) {
    if (req.method === "POST") {
      const body = ctx.body as (ArmJobRule & { pollsToComplete?: number }) | undefined;
      if (!body || !["Failed", "Suspended", "Stopped", "slow"].includes(body.outcome)) {
        return send(res, 400, armError("BadRequest", "A rule needs outcome Failed, Suspended, Stopped or slow."));
      }
      store.addRule(body);
      return send(res, 201, { rules: "added" });
    }
    if (req.method === "DELETE") {
      store.clearRules();
      return send(res, 204, undefined);
    }
    return methodNotAllowed(res, req.method);
  }

  if (rest[0] !== "jobs" || rest.length < 2 || rest.length > 3 || (rest.length === 3 && rest[2] !== "output")) return notFound(res, ctx.path);
  if (!ctx.query.get("api-version")) {
    return send(res, 400, armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
  }
  const jobName = rest[1]!;

  if (rest.length === 3) {
    if (req.method !== "GET") return methodNotAllowed(res, req.method);
    const job = store.get(jobName);
    if (!job) return jobNotFound(res, scope, jobName);
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end(job.output.map((line) => `${line}\n`).join(""));
    return 200;
  }
  if (req.method === "GET") {
    const job = store.get(jobName);
    if (!job) return jobNotFound(res, scope, jobName);
    return send(res, 200, jobResource(scope, store.poll(job, ctx.now())));
  }
  if (req.method === "PUT") {
    const checked = checkJobRequest(ctx.body, scope.account);
    if ("status" in checked) return send(res, checked.status, armError(checked.code, checked.message));
    const { job, created } = store.create(jobName, checked.runbook, checked.parameters, ctx.now());
    return send(res, created ? 201 : 200, jobResource(scope, job));
  }
  return methodNotAllowed(res, req.method);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function send(res: ArmResponse, status: number, body: unknown): number {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return status;
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
  return status;
}

function notFound(res: ArmResponse, path: string): number {
  return send(res, 404, armError("ResourceNotFound", `The Resource '${path}' was not found.`));
}

function jobNotFound(res: ArmResponse, scope: JobScope, jobName: string): number {
  const resource = `Microsoft.Automation/automationAccounts/${scope.account}/jobs/${jobName}`;
  return send(res, 404, armError("ResourceNotFound", `The Resource '${resource}' under resource group '${scope.resourceGroup}' was not found.`));
}

function methodNotAllowed(res: ArmResponse, method: string | undefined): number {
  return send(res, 405, armError("MethodNotAllowed", `The method '${method ?? ""}' is not allowed here.`));
}
