import { afterEach, describe, expect, it } from "vitest";
import { resetTelemetryForTests, startTelemetry } from "../../engine/hosts/functions/telemetry";

afterEach(() => resetTelemetryForTests());

/** Stand-ins for the OpenTelemetry packages: what was configured, hooked and bound. */
function fakeModules(calls: Array<Record<string, any>>, hooks: Array<(invocation: any) => void> = [], extracted: unknown[] = []): Record<string, unknown> {
  return {
    "@azure/monitor-opentelemetry": { useAzureMonitor: (options: Record<string, any>) => calls.push(options) },
    "@opentelemetry/instrumentation-undici": { UndiciInstrumentation: class {} },
    "@opentelemetry/api": {
      context: { active: () => "active", bind: (to: unknown, bound: unknown) => ({ bound, to }) },
      propagation: { extract: (_active: unknown, carrier: unknown) => (extracted.push(carrier), { parent: carrier }) },
    },
    "@azure/functions": { app: { hook: { preInvocation: (hook: (invocation: any) => void) => hooks.push(hook) } } },
  };
}

describe("OpenTelemetry to Application Insights", () => {
  it("loads nothing when no connection string is set", () => {
    const loaded: string[] = [];
    expect(startTelemetry({}, () => undefined, (name) => loaded.push(name))).toBe("off");
    expect(loaded).toEqual([]);
  });

  it("starts Azure Monitor with the managed identity when App Insights takes Entra ID only, once per process", () => {
    const loaded: string[] = [];
    const calls: Array<Record<string, any>> = [];
    class ManagedIdentityCredential {}
    const load = (name: string): unknown => {
      loaded.push(name);
      return name === "@azure/identity" ? { ManagedIdentityCredential } : fakeModules(calls)[name];
    };
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x;IngestionEndpoint=https://example", APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD" };
    expect(startTelemetry(env, () => undefined, load)).toBe("started");
    expect(startTelemetry(env, () => undefined, load)).toBe("started");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.azureMonitorExporterOptions.connectionString).toBe(env.APPLICATIONINSIGHTS_CONNECTION_STRING);
    expect(calls[0]?.azureMonitorExporterOptions.credential).toBeInstanceOf(ManagedIdentityCredential);
    expect(calls[0]?.instrumentationOptions).toEqual({ http: { enabled: true }, azureSdk: { enabled: false } });
    expect(loaded).toEqual(["@azure/monitor-opentelemetry", "@azure/identity", "@opentelemetry/instrumentation-undici", "@opentelemetry/api", "@azure/functions"]);
  });

  it("runs each invocation's handler in the trace context the host hands over", () => {
    const hooks: Array<(invocation: any) => void> = [];
    const extracted: unknown[] = [];
    const modules = fakeModules([], hooks, extracted);
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x" }, () => undefined, (name) => modules[name])).toBe("started");
    expect(hooks).toHaveLength(1);
    const handler = () => "ran";
    const traced = { invocationContext: { traceContext: { traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", traceState: "k=v" } }, functionHandler: handler };
    hooks[0]!(traced);
    expect(extracted).toEqual([{ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "k=v" }]);
    expect(traced.functionHandler).toEqual({ bound: handler, to: { parent: extracted[0] } });
    const untraced = { invocationContext: {}, functionHandler: handler };
    hooks[0]!(untraced);
    expect(untraced.functionHandler).toBe(handler);
  });

  it("says so, and goes on without it, when the package is not installed", () => {
    const events: Array<[string, Record<string, unknown>]> = [];
    const state = startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x" }, (event, fields) => events.push([event, fields]), () => {
      throw new Error("Cannot find module '@azure/monitor-opentelemetry'\nRequire stack: …");
    });
    expect(state).toBe("unavailable");
    expect(events).toEqual([["telemetry_unavailable", { reason: "Cannot find module '@azure/monitor-opentelemetry'" }]]);
  });
});
