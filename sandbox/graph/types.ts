/** The shapes every Graph route of the sandbox shares. */
import type { TenantState } from "../tenant/types";

/** What a route answers; the pipeline adds request ids, innerError and headers. */
export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; undefined = empty. */
  body?: unknown;
  /** Drop the connection instead of answering (fault injection). */
  reset?: boolean;
  /** A fault replaced the answer after the call was carried out: the status it had (for the request log). */
  appliedStatus?: number;
}

/** The sandbox-wide things a route may use. */
export interface GraphEnv {
  tenant: TenantState;
  now: () => number;
  /** `${url}/v1.0`, for @odata.context and @odata.nextLink. */
  graphBaseUrl: string;
  /** Told of every credential the tenant takes or issues (see SandboxOptions.onCredential). */
  onCredential?: (issued: IssuedCredential) => void;
}

/** A password a user was given, or a Temporary Access Pass the tenant issued. */
export interface IssuedCredential {
  userPrincipalName: string;
  kind: "password" | "temporaryAccessPass";
  value: string;
}

/** One Graph call, from the wire or from a `$batch` item. */
export interface GraphCall {
  method: string;
  /** Path below the version root, e.g. "/users/a%40b.com"; still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
}

export interface RouteContext extends GraphCall {
  env: GraphEnv;
  /** Decoded values of the pattern's `:name` segments. */
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => GraphResult | Promise<GraphResult>;

export interface Route {
  method: string;
  /** Literal segments match without case; `:name` captures one segment. */
  pattern: string;
  /** Application permissions, any one of which allows the call (a function when the body decides). */
  permissions: readonly string[] | ((ctx: RouteContext) => readonly string[]);
  handler: RouteHandler;
}
