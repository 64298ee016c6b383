/**
 * The HTTP surface under hostile input, over real HTTP: the secret is checked before a byte of the
 * body is read, a stalled body is cut off with 408, malformed URLs and bodies the store could not
 * hold answer 400 with the field named. Nothing here is ever a 500.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { acceptingAll, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { fakeEngine } from "./support/fake-engine";
import { SECRET, startApp, type App } from "./support/harness";
import { ADD_TO_GROUP } from "./support/intents";

const BODY_TIMEOUT_MS = 300;
let azurite: RunningAzurite;
let graph: LoopbackGraph;
let app: App;

beforeAll(async () => {
  azurite = await startTestAzurite();
  graph = await startLoopbackGraph({ otherwise: acceptingAll(new Map()) });
  app = await startApp({ connectionString: azurite.connectionString, engine: fakeEngine([ADD_TO_GROUP]), graph: graph.client(), env: { BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS) } });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await azurite?.close();
});

interface RawAnswer {
  status: number;
  body: any;
  elapsedMs: number;
}

/** Sends headers and the first bytes of a body that never ends, and waits for the answer. */
function stalledPost(path: string, headers: Record<string, string>): Promise<RawAnswer> {
  const url = new URL(app.url + path);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: "POST", headers: { "content-type": "application/json", "content-length": "5000", ...headers } });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), elapsedMs: Date.now() - started }));
    });
    req.on("error", reject);
    req.write('{"intent_name": "Add User to Group", "intent_fields": {');
  });
}

function rawGet(path: string): Promise<{ status: number; body: any }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: "GET", headers: { "x-intent-secret": SECRET } });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the body is read only after the secret, and never waited on for ever", () => {
  it("answers 401 from the headers alone, without waiting for a body that never arrives", async () => {
    const answer = await stalledPost("/api/intent", { "x-intent-secret": "wrong" });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("WEBHOOK_UNAUTHORIZED");
    expect(answer.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS);
  });

  it("cuts off a body that stalls with 408", async () => {
    const answer = await stalledPost("/api/intent", { "x-intent-secret": SECRET });
    expect(answer.status).toBe(408);
    expect(answer.body.error.code).toBe("WEBHOOK_BODY_TIMEOUT");
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 20);
  });
});

describe("malformed URLs answer 400", () => {
  it.each(["/api/runs/%zz", "/api/runs/%E0%A4%A", "/api/runs/abc%"])("%s", async (path) => {
    const answer = await rawGet(path);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("REQUEST_URL_INVALID");
  });
});

describe("bodies the run store could not hold answer 400 with the field named", () => {
  const text = (ticket: string, fields = '{"User Email": "a@contoso.com", "Group Name": "g"}') =>
    `{"intent_name": "Add User to Group", "intent_fields": ${fields}, "meta_data": {"ticket_id": ${ticket}}}`;

  it.each(["1e21", "1e308", "123456789012345678901234567890", "9007199254740993"])("ticket_id %s", async (ticket) => {
    const answer = await app.post(text(ticket));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: "meta_data.ticket_id", message: expect.any(String) }]);
  });

  it("a 10,000-deep list in a field value", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const answer = await app.post(text("12", `{"User Email": "a@contoso.com", "Group Name": ${deep}}`));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: "intent_fields.Group Name", message: expect.any(String) }]);
  });

  it("a 40 KB field value", async () => {
    const answer = await app.post(text("13", JSON.stringify({ "User Email": "a@contoso.com", "Group Name": "g".repeat(40_000) })));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: "intent_fields.Group Name", message: expect.stringContaining("16384") }]);
  });
});
