/**
 * A tiny Graph stand-in on a loopback port: records every request and answers by rule, so tests
 * count writes over real HTTP. (The sandbox tenant replaces it once that branch lands.)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphClient, GraphRequest, GraphResponse } from "../../../engine/clients/graph/types";

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface LoopbackGraph {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answer status for requests whose path includes the key (default 204, sendMail 202). */
  answers: Map<string, number>;
  client: GraphClient;
  close(): Promise<void>;
}

export async function startLoopbackGraph(): Promise<LoopbackGraph> {
  const requests: RecordedRequest[] = [];
  const answers = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "").replace(/^\/v1\.0/, "");
      requests.push({ method: req.method ?? "", path, body: text ? JSON.parse(text) : null });
      const rule = [...answers.entries()].find(([key]) => path.includes(key));
      const status = rule ? rule[1] : path.endsWith("/sendMail") ? 202 : 204;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(status >= 400 ? JSON.stringify({ error: { code: "Request_BadRequest", message: "Refused by the test." } }) : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  const client = fetchGraphClient(baseUrl);
  return {
    baseUrl, requests, answers, client,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** A bare GraphClient over fetch (no retry, no auth) for the loopback server, also used by child processes. */
export function fetchGraphClient(baseUrl: string): GraphClient {
  async function request(graphRequest: GraphRequest): Promise<GraphResponse> {
    const response = await fetch(baseUrl + graphRequest.path, {
      method: graphRequest.method,
      headers: { "content-type": "application/json" },
      ...(graphRequest.body === undefined ? {} : { body: JSON.stringify(graphRequest.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: {}, body: text ? JSON.parse(text) : null, attempts: 1 };
  }
  return {
    request,
    batch: (list) => Promise.all(list.map(request)),
    getAll: async () => ({ items: [], attempts: 1, pages: 1 }),
  };
}
