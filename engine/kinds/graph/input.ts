/**
 * Turns a rendered Graph request input into a GraphRequest with typed slots: path placeholders
 * percent-encoded one segment each, query values handed whole to the client, header values
 * without CR/LF. No value is ever concatenated into a URL as text.
 */
import type { GraphRequest, GraphResponse, HttpMethod } from "../../clients/graph/types";
import { IntentError } from "../../core/errors";
import { isPlaceholderText } from "../../core/placeholder";
import { lintGraphNames } from "./lint";
import type { Classification, ReportDiagnostic, StaticStep } from "../../core/step-kind";

export interface GraphRequestInput {
  method: HttpMethod;
  path: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: unknown;
}

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_]*)\}/g;

export const graphRequestSchema = {
  type: "object",
  additionalProperties: false,
  required: ["method", "path"],
  properties: {
    method: { enum: ["GET", "POST", "PATCH", "PUT", "DELETE"] },
    path: { type: "string", pattern: "^/" },
    params: { type: "object", additionalProperties: { type: ["string", "number"] } },
    query: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
    headers: { type: "object", additionalProperties: { type: "string" } },
    body: {},
  },
} as const;

function encodeSegment(name: string, value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // An offline plan's stand-in for a value only a read would know, shown as it is.
  if (isPlaceholderText(text)) return text;
  // The WHATWG URL parser turns %2e%2e back into `..`, so dot segments are refused, not encoded.
  if (text === "" || text === "." || text === "..") {
    throw new IntentError("STEP_INPUT_INVALID", `Path parameter "${name}" is empty or a dot segment.`);
  }
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so it cannot be a URL segment.
    throw new IntentError("STEP_INPUT_INVALID", `Path parameter "${name}" is not valid Unicode text.`);
  }
}

// Text and placeholder names alternating, per path: paths are literals of the catalogue, so this
// stays small, and a split once costs a fifth of a regex replace with a callback on every request.
const pathPieces = new Map<string, string[]>();

function piecesOf(path: string): string[] {
  let pieces = pathPieces.get(path);
  if (!pieces) pathPieces.set(path, (pieces = path.split(new RegExp(PLACEHOLDER.source))));
  return pieces;
}

export function toGraphRequest(input: GraphRequestInput, idempotent?: boolean): GraphRequest {
  const params = input.params ?? {};
  const pieces = piecesOf(input.path);
  let path = pieces[0] ?? "";
  for (let i = 1; i < pieces.length; i += 2) {
    const name = pieces[i]!;
    if (!Object.hasOwn(params, name)) throw new IntentError("STEP_INPUT_INVALID", `Path placeholder {${name}} has no value in params.`);
    path += encodeSegment(name, params[name]) + (pieces[i + 1] ?? "");
  }
  const request: GraphRequest = { method: input.method, path };
  if (input.query) request.query = Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, String(v)]));
  if (input.headers) {
    for (const [name, value] of Object.entries(input.headers)) {
      if (/[\r\n]/.test(value) || /[\r\n:]/.test(name)) throw new IntentError("STEP_INPUT_INVALID", `Header "${name.replace(/[\r\n]/g, " ")}" holds a line break.`);
    }
    request.headers = { ...input.headers };
  }
  if (input.body !== undefined) request.body = input.body;
  if (idempotent !== undefined && input.method === "POST") request.idempotent = idempotent;
  return request;
}

export interface ResponseView {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /**
   * A DELETE answered 404 after an earlier attempt of it lost its answer (a 504, a dropped
   * connection): that attempt deleted it. The wanted state, so `ok`, not "not found".
   */
  deletedByLostAttempt?: true;
}

/** Graph's answer as templates see it under `response`. */
export function responseView(response: GraphResponse, method?: string): ResponseView {
  const view: ResponseView = { status: response.status, headers: response.headers, body: response.body };
  if (method === "DELETE" && response.status === 404 && response.afterLostAnswer) view.deletedByLostAttempt = true;
  return view;
}

/** Statuses after which Graph may have done the write although it answered an error. */
const OUTCOME_UNKNOWN = new Set([500, 502, 504]);
/** Statuses that may pass if the same request is sent later. */
const TRANSIENT = new Set([429, 500, 502, 503, 504]);

/** Graph's answer: 2xx is success; any failure no outcome rule names is GRAPH_ERROR with Graph's own words. */
export function classifyGraph(response: unknown): Classification {
  const view = response as (Partial<ResponseView> & { body?: { error?: { code?: unknown; message?: unknown } } }) | null;
  const status = view?.status ?? 0;
  if (view?.deletedByLostAttempt) return { success: true, status, outcome: "ok" };
  const error = view?.body && typeof view.body === "object" ? view.body.error : undefined;
  const code = typeof error?.code === "string" ? error.code : undefined;
  const message = typeof error?.message === "string" ? error.message : undefined;
  const said = [code, message].filter(Boolean).join(": ");
  return {
    success: status >= 200 && status < 300,
    status,
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    error: { code: "GRAPH_ERROR", message: `Microsoft Graph answered ${status || "an error"}${said ? ` (${said})` : ""}.` },
    ...(OUTCOME_UNKNOWN.has(status) ? { outcomeUnknown: true } : {}),
    ...(TRANSIENT.has(status) ? { transient: true } : {}),
  };
}

/**
 * Static checks of one request at `base` inside `with`: a literal path whose placeholders match
 * params, and whose segments and literal body keys exist in Graph's metadata.
 */
export function lintGraphRequest(step: StaticStep, report: ReportDiagnostic, base: ReadonlyArray<string | number>): void {
  const input = base.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], step.with) as
    | Partial<GraphRequestInput>
    | undefined;
  if (!input || typeof input !== "object") return;
  const literalMethod = input.method === undefined || step.isLiteral([...base, "method"]);
  if (!literalMethod) report("SPEC_STEP_INPUT", "method must be a literal, not a template", [...base, "method"]);
  if (typeof input.path !== "string") return;
  if (!step.isLiteral([...base, "path"])) {
    report("SPEC_STEP_INPUT", "path must be a literal with {name} placeholders filled from params, never a template", [...base, "path"]);
    return;
  }
  const placeholders = new Set([...input.path.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""));
  const params = Object.keys(input.params ?? {});
  for (const name of placeholders) {
    if (!params.includes(name)) report("SPEC_STEP_INPUT", `path placeholder {${name}} has no entry in params`, [...base, "path"]);
  }
  for (const name of params) {
    if (!placeholders.has(name)) report("SPEC_STEP_INPUT", `param "${name}" is not a placeholder in path ${input.path}`, [...base, "params", name]);
  }
  // graph:list has no method key: it is always a GET.
  const method = input.method === undefined ? "GET" : literalMethod ? String(input.method) : undefined;
  if (step.referenceChecks !== false) lintGraphNames(method, input.path, input.body, report, base, input.query?.$select);
}

/** The request at `base` inside a step's unrendered `with`, when its method (default GET) and path are literals. */
export function literalGraphRequest(input: unknown, base: ReadonlyArray<string | number>): { method: string; path: string; at: ReadonlyArray<string | number> } | undefined {
  const request = base.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined), input) as
    | { method?: unknown; path?: unknown }
    | undefined;
  if (!request || typeof request !== "object" || typeof request.path !== "string" || request.path.includes("{{")) return undefined;
  const method = request.method === undefined ? "GET" : request.method;
  if (typeof method !== "string" || method.includes("{{")) return undefined;
  return { method, path: request.path, at: [...base, "path"] };
}
