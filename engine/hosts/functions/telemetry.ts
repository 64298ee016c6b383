/**
 * OpenTelemetry to Application Insights through @azure/monitor-opentelemetry, started only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: its ~160 packages load then and never otherwise
 * (not under `npm start`, the CLI or a test). Graph, Exchange and PSA calls go through undici, which
 * the distribution does not instrument, so undici's instrumentation is added; ARM and Storage
 * calls are Node HTTP calls. Each invocation's handler runs in the trace context the host hands
 * over (its traceparent), so these dependencies sit under the host's request for that invocation;
 * the event lines keep going through the host's logger into `traces` with the same operation.
 */
import type { EventSink } from "../../runtime/types";

type Env = Readonly<Record<string, string | undefined>>;

export type TelemetryState = "off" | "started" | "unavailable";

/** Loads a module by name; injected so tests can tell whether (and what) was loaded. */
export type ModuleLoader = (name: string) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireModule: ModuleLoader = (name) => require(name);

let state: TelemetryState | undefined;

interface OtelApi {
  context: { active(): unknown; bind<T>(context: unknown, target: T): T };
  propagation: { extract(context: unknown, carrier: Record<string, string | undefined>): unknown };
}

interface PreInvocation {
  invocationContext: { traceContext?: { traceParent?: string | null; traceState?: string | null } };
  functionHandler: unknown;
}

interface FunctionsApp {
  app: { hook: { preInvocation(handler: (context: PreInvocation) => void): unknown } };
}

/** Runs each function handler in the trace context of the host's request for that invocation. */
function continueHostTraces(api: OtelApi, functions: FunctionsApp): void {
  functions.app.hook.preInvocation((invocation) => {
    const trace = invocation.invocationContext.traceContext;
    if (!trace?.traceParent) return;
    const parent = api.propagation.extract(api.context.active(), { traceparent: trace.traceParent, tracestate: trace.traceState ?? undefined });
    invocation.functionHandler = api.context.bind(parent, invocation.functionHandler);
  });
}

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
      // HTTP only: with the Azure SDK's own spans as well, every ARM and Storage call is a dependency twice.
      instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: false } },
    });
    // Enabled once made; it reports through the providers useAzureMonitor registered.
    new (load("@opentelemetry/instrumentation-undici") as { UndiciInstrumentation: new () => unknown }).UndiciInstrumentation();
    continueHostTraces(load("@opentelemetry/api") as OtelApi, load("@azure/functions") as FunctionsApp);
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
