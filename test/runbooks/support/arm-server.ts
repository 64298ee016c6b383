import { startSandbox, type FaultRuleInput, type TenantFixture, type TenantState } from "../../../sandbox";
import { armJobStore, type ArmJobStore } from "../../../sandbox/arm";

export interface ArmServer {
  url: string;
  tenant: TenantState;
  jobs: ArmJobStore;
  /** Method, path and status of every ARM request the sandbox logged, in order. */
  requests(): Array<{ method: string; path: string; status: number }>;
  /** Adds a sandbox fault rule (503, 429, reset…) through its control surface. */
  fault(rule: FaultRuleInput): Promise<void>;
  close(): Promise<void>;
}

/** The sandbox server (Graph + ARM) on a free loopback port, with the ARM side's test handles. */
export async function startArmServer(fixture?: TenantFixture, now?: () => number): Promise<ArmServer> {
  const sandbox = await startSandbox({ ...(fixture ? { fixture } : {}), ...(now ? { now } : {}) });
  return {
    url: sandbox.armBaseUrl,
    tenant: sandbox.tenant,
    jobs: armJobStore(sandbox.tenant),
    requests: () =>
      sandbox
        .requests()
        .filter((entry) => entry.path.startsWith("/subscriptions/"))
        .map(({ method, path, status }) => ({ method, path, status })),
    async fault(rule) {
      const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
      if (!answer.ok) throw new Error(`fault rule refused: ${answer.status} ${await answer.text()}`);
    },
    close: () => sandbox.close(),
  };
}
