/**
 * The PSA simulators: ConnectWise Manage, Autotask and HaloPSA, each on its own loopback port
 * with its own credentials, request log, fault rules and tickets (sandbox/psa/server.ts).
 */
import { autotaskSimulator, AUTOTASK_API_ROOT, type AutotaskCredentials } from "./autotask";
import { connectWiseSimulator, CONNECTWISE_API_ROOT, type ConnectWiseCredentials } from "./connectwise";
import { haloSimulator, type HaloCredentials } from "./halopsa";
import { startPsaServer, type PsaServer, type PsaServerOptions } from "./server";

export type { PsaServer, PsaServerOptions } from "./server";
export type { SimNote } from "./tickets";
export { DEFAULT_UNKNOWN_FROM } from "./tickets";
export { AUTOTASK_PUBLISH } from "./autotask";
export type { ConnectWiseCredentials, AutotaskCredentials, HaloCredentials };

/** The simulators' default credentials: sandbox values, printed by `npm start`, never real ones. */
export const SANDBOX_PSA_CREDENTIALS = {
  connectwise: { companyId: "contoso", publicKey: "sandbox-public-key", privateKey: "sandbox-private-key", clientId: "00000000-0000-0000-0000-00000000c11e" },
  autotask: { userName: "api-user@contoso.example", secret: "sandbox-secret", integrationCode: "SANDBOXINTEGRATIONCODE" },
  halopsa: { clientId: "sandbox-client", clientSecret: "sandbox-client-secret" },
} as const satisfies { connectwise: ConnectWiseCredentials; autotask: AutotaskCredentials; halopsa: HaloCredentials };

export interface ConnectWiseSandbox extends PsaServer {
  /** `${url}/v4_6_release/apis/3.0` */
  apiBaseUrl: string;
  credentials: ConnectWiseCredentials;
}

export async function startConnectWiseSandbox(options: PsaServerOptions & { credentials?: ConnectWiseCredentials } = {}): Promise<ConnectWiseSandbox> {
  const credentials = options.credentials ?? SANDBOX_PSA_CREDENTIALS.connectwise;
  const server = await startPsaServer(connectWiseSimulator(credentials), options);
  return { ...server, apiBaseUrl: `${server.url}${CONNECTWISE_API_ROOT}`, credentials };
}

export interface AutotaskSandbox extends PsaServer {
  /** Where zone information is asked: `${url}/ATServicesRest` (the real one is webservices.autotask.net). */
  zoneLookupUrl: string;
  credentials: AutotaskCredentials;
}

export async function startAutotaskSandbox(options: PsaServerOptions & { credentials?: AutotaskCredentials } = {}): Promise<AutotaskSandbox> {
  const credentials = options.credentials ?? SANDBOX_PSA_CREDENTIALS.autotask;
  const server = await startPsaServer(autotaskSimulator(credentials), options);
  return { ...server, zoneLookupUrl: `${server.url}${AUTOTASK_API_ROOT}`, credentials };
}

export interface HaloSandbox extends PsaServer {
  credentials: HaloCredentials;
}

export async function startHaloSandbox(options: PsaServerOptions & { credentials?: HaloCredentials } = {}): Promise<HaloSandbox> {
  const credentials = options.credentials ?? SANDBOX_PSA_CREDENTIALS.halopsa;
  const server = await startPsaServer(haloSimulator(credentials), options);
  return { ...server, credentials };
}

export interface PsaSandboxes {
  connectwise: ConnectWiseSandbox;
  autotask: AutotaskSandbox;
  halopsa: HaloSandbox;
  close(): Promise<void>;
}

/** All three, for `npm start`: switching PSA_KIND needs no other setting. */
export async function startPsaSandboxes(options: Omit<PsaServerOptions, "port"> = {}): Promise<PsaSandboxes> {
  const [connectwise, autotask, halopsa] = await Promise.all([
    startConnectWiseSandbox(options), startAutotaskSandbox(options), startHaloSandbox(options),
  ]);
  return {
    connectwise, autotask, halopsa,
    close: async () => {
      await Promise.allSettled([connectwise.close(), autotask.close(), halopsa.close()]);
    },
  };
}
