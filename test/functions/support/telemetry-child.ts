/**
 * A Function App process with telemetry on, for test/functions/telemetry-export.test.ts: starts
 * OpenTelemetry as the app does (APPLICATIONINSIGHTS_CONNECTION_STRING points at the test's
 * loopback ingestion endpoint), makes one Graph call with the engine's client inside the trace
 * context a host invocation carries (TRACEPARENT), then flushes and exits.
 * Env: GRAPH_URL, TRACEPARENT, plus the connection string.
 */
import { context, propagation } from "@opentelemetry/api";
import { createGraphClient } from "../../../engine/clients/graph/client";
import { startTelemetry } from "../../../engine/hosts/functions/telemetry";

async function main(): Promise<void> {
  const state = startTelemetry(process.env, (event, fields) => process.stderr.write(`${event} ${JSON.stringify(fields)}\n`));
  const graph = createGraphClient({ baseUrl: process.env.GRAPH_URL ?? "", tokens: { getToken: async () => "token" } });
  const parent = propagation.extract(context.active(), { traceparent: process.env.TRACEPARENT });
  const answer = await context.with(parent, () => graph.request({ method: "GET", path: "/users/adele.vance%40contoso.com" }));
  await graph.close();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  await (require("@azure/monitor-opentelemetry") as { shutdownAzureMonitor(): Promise<void> }).shutdownAzureMonitor();
  process.stdout.write(JSON.stringify({ state, status: answer.status }) + "\n");
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
