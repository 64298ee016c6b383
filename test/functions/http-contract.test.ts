/** Every answer of PRODUCT.md §4 over real HTTP: local adapter → handlers → pipeline → Azurite. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { fakeEngine, type FakeEngine } from "./support/fake-engine";
import { SECRET, startApp, webhook, type App } from "./support/harness";
import { ADD_TO_GROUP, OFFBOARDING, PASSWORD_RESET } from "./support/intents";
import { acceptingAll, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";

let azurite: RunningAzurite;
let graph: LoopbackGraph;
/** Path fragments Graph refuses, with the status it answers. */
const refusals = new Map<string, number>();
let engine: FakeEngine;
let app: App;

beforeAll(async () => {
  azurite = await startTestAzurite();
  graph = await startLoopbackGraph({ otherwise: acceptingAll(refusals) });
  engine = fakeEngine([ADD_TO_GROUP, PASSWORD_RESET, OFFBOARDING]);
  app = await startApp({ connectionString: azurite.connectionString, engine, graph: graph.client() });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await azurite?.close();
});

const writes = () => graph.received.filter((r) => !r.path.endsWith("/sendMail"));

describe("refusals, before anything runs", () => {
  it("answers 401 to a missing or wrong secret and logs nothing of the payload", async () => {
    const before = writes().length;
    const body = webhook("Password Reset", { "User Email": "adele@contoso.com", "Temporary Password": "Hunter2!x" });
    const missing = await app.post(body, {});
    const wrong = await app.post(body, { "x-intent-secret": SECRET + "x" });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("WEBHOOK_UNAUTHORIZED");
    expect(typeof wrong.body.message).toBe("string");
    expect(writes().length).toBe(before);
    const logged = app.logs.join("\n");
    expect(logged).not.toContain("Hunter2!x");
    expect(logged).not.toContain("adele@contoso.com");
    expect(logged).not.toContain(SECRET);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const answer = await app.post("{ not json");
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("WEBHOOK_BAD_JSON");
  });

  it("answers 400 with one error per field to a body of the wrong shape", async () => {
    const answer = await app.post({ intent_name: "  ", intent_fields: null, meta_data: { ticket_id: "12a" } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("WEBHOOK_INVALID");
    const fields = answer.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["intent_fields", "intent_name", "meta_data.ticket_id"]);
    const missingMeta = await app.post({ intent_name: "Password Reset" });
    expect(missingMeta.body.errors).toEqual([{ field: "meta_data", message: "meta_data is required." }]);
  });

  it("answers 413 to a body over 256 KiB, announced or streamed", async () => {
    const big = JSON.stringify(webhook("Add User to Group", { "User Email": "x".repeat(300 * 1024), "Group Name": "g" }));
    const announced = await app.post(big);
    expect(announced.status).toBe(413);
    expect(announced.body.error.code).toBe("WEBHOOK_TOO_LARGE");
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
        controller.close();
      },
    });
    const response = await fetch(app.url + "/api/intent", {
      method: "POST", headers: { "x-intent-secret": SECRET }, body: stream, duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("answers 401 before 413: an unauthenticated caller learns nothing about size limits", async () => {
    const answer = await app.post("x".repeat(300 * 1024), {});
    expect(answer.status).toBe(401);
  });

  it("answers 422 with the supported intents to an unknown intent", async () => {
    const answer = await app.post(webhook("Reboot The Internet", {}));
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("INTENT_UNKNOWN");
    expect(answer.body.supportedIntents).toEqual(["Add User to Group", "Password Reset", "User Offboarding"]);
  });

  it("answers 422 with per-field messages when fields do not validate", async () => {
    const before = writes().length;
    const answer = await app.post(webhook("Add User to Group", { "User Email": "adele@contoso.com" }));
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("FIELD_INVALID");
    expect(answer.body.errors).toEqual([{ field: "group", label: "Group Name", message: "Group Name is required." }]);
    expect(writes().length).toBe(before);
    expect(answer.body.runId).toBeUndefined();
  });
});

describe("runs", () => {
  it("runs an intent found by alias, ignoring case and spacing, and answers its result", async () => {
    const answer = await app.post(webhook("  group   ADD ", { "user email": "adele@contoso.com", "Group Name": "Sales" }, 1001));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.body.steps).toEqual([expect.objectContaining({ id: "add", status: "changed" })]);
    expect(answer.body.message).toBe("Done for adele@contoso.com.");
    expect(graph.received.at(-1)?.path).toBe("/groups/Sales/members/$ref");
  });

  it("answers a duplicate delivery with the original run's result, without running again", async () => {
    const body = webhook("Add User to Group", { "User Email": "ben@contoso.com", "Group Name": "Sales" }, 1002);
    const first = await app.post(body);
    const executions = engine.executions;
    const again = await app.post({ ...body, intent_name: "group add" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ runId: first.body.runId, status: "succeeded", duplicate: true, message: first.body.message });
    expect(again.body.steps).toEqual(first.body.steps);
    expect(engine.executions).toBe(executions);
  });

  it("runs a second genuine request on the same ticket with other fields", async () => {
    const first = await app.post(webhook("Add User to Group", { "User Email": "cy@contoso.com", "Group Name": "Sales" }, 1003));
    const second = await app.post(webhook("Add User to Group", { "User Email": "cy@contoso.com", "Group Name": "Finance" }, 1003));
    expect(second.body.duplicate).toBeUndefined();
    expect(second.body.runId).not.toBe(first.body.runId);
  });

  it("answers 202 running past the budget, continues from the queue, and GET /api/runs tells the status", async () => {
    const answer = await app.post(webhook("Disable Account", { "User Email": "dee@contoso.com" }, 1004));
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe("running");
    const runId = answer.body.runId as string;
    const during = await app.getRun(runId);
    expect(during.status).toBe(202);
    expect(during.body.status).toBe("running");
    expect(await app.poller.pollOnce()).toBe(1);
    const after = await app.getRun(runId);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe("succeeded");
    expect(after.body.steps.map((s: { id: string; resumed?: boolean }) => [s.id, s.resumed ?? false]))
      .toEqual([["disable", true], ["slow", true], ["convert", false]]);
    const offboardWrites = writes().filter((r) => r.path.startsWith("/users/dee%40contoso.com"));
    expect(offboardWrites.map((r) => r.path.split("/").at(-1))).toEqual(["disable", "revoke", "convert"]);
  });

  it("GET /api/runs needs the secret and answers 404 for an unknown run", async () => {
    expect((await app.getRun("0".repeat(32), "wrong")).status).toBe(401);
    const missing = await app.getRun("0".repeat(32));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("RUN_NOT_FOUND");
    expect((await app.getRun("../../etc")).status).toBe(404);
  });

  it("every endpoint about one run asks for the secret first, then answers 404 for an id that cannot be a run's", async () => {
    const endpoints = [["GET", ""], ["DELETE", "/schedule"], ["GET", "/undo"], ["POST", "/undo"]] as const;
    const call = (method: string, path: string, secret?: string) =>
      fetch(`${app.url}${path}`, { method, headers: secret ? { "x-intent-secret": secret } : {} }).then(async (r) => ({ status: r.status, body: await r.json() }));
    for (const [method, tail] of endpoints) {
      for (const id of ["0".repeat(32), "not-a-run-id"]) {
        expect((await call(method, `/api/runs/${id}${tail}`)).status, `${method} ${tail} ${id} without the secret`).toBe(401);
        expect((await call(method, `/api/runs/${id}${tail}`, "wrong")).status, `${method} ${tail} ${id} with a wrong secret`).toBe(401);
      }
      const malformed = await call(method, `/api/runs/not-a-run-id${tail}`, SECRET);
      expect(malformed, `${method} ${tail}`).toMatchObject({ status: 404, body: { error: { code: "RUN_NOT_FOUND" } } });
    }
  });

  it("logs one JSON event per line: received, validated, policy, step, result, duplicate; no field values", async () => {
    const body = webhook("Add User to Group", { "User Email": "kim.secretive@contoso.com", "Group Name": "Sales" }, 1005);
    const first = await app.post(body);
    await app.post(body);
    const events = app.logs.map((line) => JSON.parse(line) as { event: string; runId?: string });
    const mine = events.filter((e) => e.runId === first.body.runId).map((e) => e.event);
    expect(mine).toEqual(["validated", "policy", "step", "result", "validated", "duplicate"]);
    expect(events.filter((e) => e.event === "received").length).toBeGreaterThanOrEqual(2);
    expect(app.logs.join("\n")).not.toContain("kim.secretive");
  });

  it("answers health without a secret", async () => {
    const response = await fetch(app.url + "/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });
});
