import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleArmRequest } from "../../../sandbox/arm";
import { armJobStore, type ArmJobStore } from "../../../sandbox/arm/jobs";
import type { TenantState } from "../../../sandbox/tenant/types";

/** Answers the next matching requests itself (an outage) instead of passing them to the ARM API. */
export interface TransportFault {
  method: string;
  pathIncludes: string;
  status: number;
  times: number;
}

export interface ArmServer {
  url: string;
  tenant: TenantState;
  jobs: ArmJobStore;
  /** Method and path of every request received, in order. */
  requests: Array<{ method: string; path: string; status: number }>;
  faults: TransportFault[];
  close(): Promise<void>;
}

/**
 * A loopback server in front of sandbox/arm's handler, as the sandbox server mounts it, so the
 * Automation client is exercised over real HTTP. (Swap for startSandbox once it is merged.)
 */
export async function startArmServer(tenant: TenantState, now: () => number = Date.now): Promise<ArmServer> {
  const requests: ArmServer["requests"] = [];
  const faults: TransportFault[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://sandbox");
      const method = req.method ?? "GET";
      const fault = faults.find((rule) => rule.method === method && url.pathname.includes(rule.pathIncludes) && rule.times > 0);
      if (fault) {
        fault.times -= 1;
        requests.push({ method, path: url.pathname, status: fault.status });
        res.writeHead(fault.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "ServiceUnavailable", message: "The service is temporarily unavailable." } }));
        return;
      }
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      void handleArmRequest(req, res, { tenant, now, body, path: url.pathname, query: url.searchParams }).then((status) =>
        requests.push({ method, path: url.pathname, status }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tenant,
    jobs: armJobStore(tenant),
    requests,
    faults,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
