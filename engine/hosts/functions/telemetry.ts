/**
 * OpenTelemetry to Application Insights (requests, Graph/ARM calls as dependencies, traces, all
 * correlated per invocation) through @azure/monitor-opentelemetry, started only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set and the package is installed: it is ~240 packages
 * and half a second to load, which neither `npm start`, the CLI nor a test should pay.
 */
import type { EventSink } from "../../runtime/types";

type Env = Readonly<Record<string, string | undefined>>;

export type TelemetryState = "off" | "started" | "unavailable";

/** Loads a module by name; injected so tests can tell whether (and what) was loaded. */
export type ModuleLoader = (name: string) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireModule: ModuleLoader = (name) => require(name);

let state: TelemetryState | undefined;

export function startTelemetry(env: Env, events: EventSink, load: ModuleLoader = requireModule): TelemetryState {
  if (state) return state;
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return (state = "off");
  try {
    const monitor = load("@azure/monitor-opentelemetry") as { useAzureMonitor(options: object): void };
    // Local authentication is off on the App Insights resource: export with the managed identity.
    const entra = /Authorization=AAD/i.test(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? "");
    const credential = entra ? new ((load("@azure/identity") as { ManagedIdentityCredential: new (options?: object) => unknown }).ManagedIdentityCredential)() : undefined;
    monitor.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
      instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
    });
    state = "started";
  } catch (thrown) {
    events("telemetry_unavailable", { reason: thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown) });
    state = "unavailable";
  }
  return state;
}

/** Tests only: forget that telemetry was started. */
export function resetTelemetryForTests(): void {
  state = undefined;
}
