/**
 * OpenTelemetry as the Function App starts it, exporting to a loopback Application Insights
 * ingestion endpoint: a Graph call made while an invocation runs reaches App Insights as a
 * dependency of that invocation's operation (the host's traceparent).
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Envelope { name: string; tags?: Record<string, string>; data?: { baseType?: string; baseData?: Record<string, unknown> } }

let ingestion: Server;
let certificate = "";
let graph: Server;
const envelopes: Envelope[] = [];
const graphPaths: string[] = [];

function listen(server: Server, scheme = "http"): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  // The exporter sends to https whatever the connection string says: a loopback certificate the child trusts.
  const dir = mkdtempSync(join(tmpdir(), "ingestion-"));
  certificate = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  ingestion = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(certificate) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      if (req.url?.includes("/track")) {
        const parsed = JSON.parse(text) as Envelope | Envelope[];
        envelopes.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  graph = createServer((req, res) => {
    graphPaths.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "u-1", userPrincipalName: "adele.vance@contoso.com" }));
  });
});

afterAll(async () => {
  await new Promise((resolve) => ingestion.close(resolve));
  await new Promise((resolve) => graph.close(resolve));
});

describe("telemetry export", () => {
  it("sends a Graph call made during an invocation as a dependency of that invocation's operation", async () => {
    const [ingestionUrl, graphUrl] = [await listen(ingestion, "https"), await listen(graph)];
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const child = spawn(process.execPath, ["bin/run-ts.cjs", "test/functions/support/telemetry-child.ts"], {
      env: {
        ...process.env, NODE_OPTIONS: "",
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${ingestionUrl}/;LiveEndpoint=${ingestionUrl}/`,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true", NODE_EXTRA_CA_CERTS: certificate,
        GRAPH_URL: `${graphUrl}/v1.0`, TRACEPARENT: `00-${traceId}-00f067aa0ba902b7-01`,
        // The distribution samples at most 5 traces a second by default; its own cloud-metadata
        // probe at start can take that budget and the Graph call is then dropped (1 run in 3 here).
        // What is tested is the link to the host's operation, so every trace is kept.
        OTEL_TRACES_SAMPLER: "always_on",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number];
    expect(code, err).toBe(0);
    expect(JSON.parse(out.trim().split("\n").pop() ?? "{}")).toEqual({ state: "started", status: 200 });
    expect(graphPaths).toEqual(["/v1.0/users/adele.vance%40contoso.com"]);
    const dependencies = envelopes.filter((e) => e.data?.baseType === "RemoteDependencyData");
    const call = dependencies.find((e) => String(e.data?.baseData?.data ?? "").includes("/v1.0/users/adele.vance"));
    expect(call, JSON.stringify(dependencies.map((e) => e.data?.baseData))).toBeDefined();
    expect(call!.tags?.["ai.operation.id"]).toBe(traceId);
    expect(call!.tags?.["ai.operation.parentId"]).toBe("00f067aa0ba902b7");
    expect(call!.data?.baseData?.resultCode).toBe("200");
  }, 120_000);
});
