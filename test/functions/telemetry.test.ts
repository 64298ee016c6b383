import { afterEach, describe, expect, it } from "vitest";
import { resetTelemetryForTests, startTelemetry } from "../../engine/hosts/functions/telemetry";

afterEach(() => resetTelemetryForTests());

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
      return name === "@azure/identity" ? { ManagedIdentityCredential } : { useAzureMonitor: (options: Record<string, any>) => calls.push(options) };
    };
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=x;IngestionEndpoint=https://example", APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD" };
    expect(startTelemetry(env, () => undefined, load)).toBe("started");
    expect(startTelemetry(env, () => undefined, load)).toBe("started");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.azureMonitorExporterOptions.connectionString).toBe(env.APPLICATIONINSIGHTS_CONNECTION_STRING);
    expect(calls[0]?.azureMonitorExporterOptions.credential).toBeInstanceOf(ManagedIdentityCredential);
    expect(loaded).toEqual(["@azure/monitor-opentelemetry", "@azure/identity"]);
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
