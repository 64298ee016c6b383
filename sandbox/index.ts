/**
 * The sandbox tenant: an in-memory Microsoft 365 tenant behind a real loopback HTTP server that
 * speaks Graph v1.0 (under /v1.0) and hands Azure Automation (ARM) paths to ./arm and the
 * Exchange Online admin API (/adminapi) to ./exchange.
 */
import type { AddressInfo } from "node:net";
import { FaultStore } from "./faults/store";
import type { IssuedCredential } from "./graph/types";
import type { SandboxEnv } from "./server";
import { RequestLog, type RequestLogEntry } from "./request-log";
import { createSandboxServer } from "./server";
import { DEMO_FIXTURE_PATH, tenantFromFile, tenantFromFixture } from "./tenant/load";
import type { TenantFixture, TenantState } from "./tenant/types";

export type { RequestLogEntry } from "./request-log";
export type { FaultRule, FaultRuleInput, FaultKind } from "./faults/rules";
export type { IssuedCredential } from "./graph/types";
export type * from "./tenant/types";
export { DEMO_FIXTURE_PATH, DEMO_POLICY_PATH } from "./tenant/load";

export interface SandboxOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A fixture object or the path of a JSON fixture; default sandbox/fixtures/demo-tenant.json. */
  fixture?: TenantFixture | string;
  /** Clock for timestamps (innerError.date, createdDateTime, the request log). */
  now?: () => number;
  /**
   * For tests in this process: told of every password a user is given and every Temporary Access
   * Pass issued, so a test can check that the credential a user holds is the one delivered. The
   * tenant itself never stores one.
   */
  onCredential?: (issued: IssuedCredential) => void;
}

export interface Sandbox {
  url: string;
  /** `${url}/v1.0` */
  graphBaseUrl: string;
  /** Base URL for the ARM (Azure Automation) API: the server root. */
  armBaseUrl: string;
  /** Base URL for the Exchange Online admin API (`/adminapi/beta/{tenant}/InvokeCommand`): the server root. */
  exchangeBaseUrl: string;
  /** The live tenant; changes are visible to the next request. */
  tenant: TenantState;
  requests(): RequestLogEntry[];
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const fixture = options.fixture ?? DEMO_FIXTURE_PATH;
  const tenant = typeof fixture === "string" ? tenantFromFile(fixture) : tenantFromFixture(fixture);
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const env: SandboxEnv = { tenant, now, graphBaseUrl: "", faults: new FaultStore(now), ...(options.onCredential ? { onCredential: options.onCredential } : {}) };
  const log = new RequestLog();
  const server = createSandboxServer(env, log);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  env.graphBaseUrl = `${url}/v1.0`;
  return {
    url,
    graphBaseUrl: env.graphBaseUrl,
    armBaseUrl: url,
    exchangeBaseUrl: url,
    tenant,
    requests: () => log.list(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
