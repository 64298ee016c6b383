/**
 * The console's API over real HTTP on `npm start`'s stack (sandbox tenant, Azurite, the real
 * handlers): nothing without a session, sign-in without the secret in a URL, actions only with the
 * session's token, a failed run found by filter and retried to success with the technician
 * recorded, the webhook's own `GET /api/runs/{runId}` unchanged for X-Intent-Secret callers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalHeader } from "../../engine/inbound/console/auth/principal";
import { startConsoleStack, type ConsoleSession, type ConsoleStack } from "./support/stack";

let env: ConsoleStack;
let session: ConsoleSession;

beforeAll(async () => {
  env = await startConsoleStack();
  session = await env.signIn();
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const RUN_ID = "0123456789abcdef0123456789abcdef";

describe("without a console session", () => {
  it.each([
    ["GET", "/api/runs"], ["GET", `/api/runs/${RUN_ID}`], ["GET", "/api/console/me"], ["GET", "/api/console/health"],
    ["GET", "/api/console/approvals"], ["GET", "/api/console/schedules"], ["POST", `/api/console/runs/${RUN_ID}/retry`],
    ["POST", `/api/console/runs/${RUN_ID}/cancel`], ["POST", "/api/console/approvals/a1/decision"], ["POST", "/api/console/signout"],
  ])("%s %s is refused with 401", async (method, path) => {
    const answer = await env.call(path, { method });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("CONSOLE_UNAUTHENTICATED");
  });

  it("shows the sign-in form instead of the page, and a principal header does not help locally", async () => {
    const page = await env.call("/api/console", { headers: { "x-ms-client-principal": principalHeader({ id: "x", name: "x@contoso.com", groups: [] }) } });
    expect(page.status).toBe(401);
    expect(page.body).toContain('action="/api/console/signin"');
    expect(page.body).not.toContain("console-token");
    expect((await env.call("/api/runs", { headers: { cookie: "intents_console=forged.value" } })).status).toBe(401);
  });
});

describe("signing in", () => {
  it("a one-time link starts a session once and leaves the code out of the address", async () => {
    const link = env.stack.consoleSignInLink();
    const first = await fetch(link, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/api/console");
    expect(first.headers.get("set-cookie")).toMatch(/^intents_console=[^;]+; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const again = await fetch(link, { redirect: "manual" });
    expect(again.status).toBe(401);
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("the shared secret works in a POSTed form only, and not from another site", async () => {
    const post = (secret: string, headers: Record<string, string> = {}) => fetch(`${env.url}/api/console/signin`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams({ secret }).toString(),
    });
    expect((await post("wrong-secret")).status).toBe(401);
    expect((await post(env.stack.sharedSecret, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    const ok = await post(env.stack.sharedSecret, { "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("set-cookie")).toContain("intents_console=");
  });

  it("may act as an address (an approver's), the name every action is then taken and recorded under; anything but an address is refused", async () => {
    const post = (form: Record<string, string>) => fetch(`${env.url}/api/console/signin`, {
      method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString(),
    });
    const signed = await post({ secret: env.stack.sharedSecret, as: " Grace.Taylor@contoso.com " });
    expect(signed.status).toBe(303);
    const cookie = (signed.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect((await env.call("/api/console/me", { headers: { cookie } })).body).toMatchObject({ message: "Signed in as grace.taylor@contoso.com.", actor: { name: "grace.taylor@contoso.com", via: "local" } });
    // The one-time link may carry it too (the address is no secret; the code is).
    const grace = await env.signIn("grace.taylor@contoso.com");
    expect((await env.call("/api/console/me", { session: grace })).body.actor).toEqual({ name: "grace.taylor@contoso.com", via: "local" });
    for (const bad of ["grace", "grace@contoso.com\r\nX-Injected: 1", "<b>@contoso.com", `${"a".repeat(250)}@contoso.com`]) {
      const answer = await post({ secret: env.stack.sharedSecret, as: bad });
      expect(answer.status, bad).toBe(400);
      expect(answer.headers.get("set-cookie")).toBeNull();
      expect(await answer.text()).toContain("“Act as” must be an e-mail address");
    }
    // A one-time link with a bad address is refused before its code is spent: the same link works without it.
    const link = env.stack.consoleSignInLink();
    expect((await fetch(`${link}&as=not-an-address`, { redirect: "manual" })).status).toBe(400);
    expect((await fetch(link, { redirect: "manual" })).status).toBe(303);
  });

  it("serves the page with a strict Content-Security-Policy and no inline script", async () => {
    const page = await env.call("/api/console", { session });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]|\sstyle=|\son\w+=/);
  });
});

describe("runs", () => {
  let failedRunId: string;

  beforeAll(async () => {
    const answer = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Project Falcon" }, 5678);
    expect(answer.body.status).toBe("failed");
    failedRunId = answer.body.runId;
    await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "IT Department" }, 5679);
  });

  it("finds the failed run by status and ticket, with what the list shows", async () => {
    const answer = await env.call("/api/runs?status=failed&ticket=5678", { session });
    expect(answer.status).toBe(200);
    expect(answer.body.runs).toEqual([expect.objectContaining({
      runId: failedRunId, status: "failed", intentName: "Add User to Group", ticketId: "5678",
      requester: "megan.bowen@contoso.com", requesterName: "Megan Bowen", errorCode: "GROUP_NOT_FOUND", attempts: 1,
    })]);
    expect(answer.body.cost).toEqual({ partition: "ticket", entitiesRead: 1, requests: 1 });
    expect((await env.call("/api/runs?status=failed&ticket=5679", { session })).body.runs).toEqual([]);
  });

  it("refuses a malformed filter, naming the parameter", async () => {
    const answer = await env.call("/api/runs?ticket=12ab&pageSize=500&from=tomorrow", { session });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("CONSOLE_QUERY_INVALID");
    expect(answer.body.error.details.map((d: { parameter: string }) => d.parameter).sort()).toEqual(["from", "pageSize", "ticket"]);
  });

  it("shows a run's failing step with its error, fix and the request it sent", async () => {
    const run = (await env.call(`/api/runs/${failedRunId}`, { session })).body;
    expect(run.steps[0]).toMatchObject({
      id: "lookup", status: "failed",
      error: { code: "GROUP_NOT_FOUND", fix: "Check the group's exact display name." },
      request: { group: { method: "GET", path: "/groups", query: expect.objectContaining({ $filter: "displayName eq 'Project Falcon'" }) } },
    });
    expect(run.retry).toEqual({ possible: true });
    expect(run.actions).toEqual([]);
  });

  it("answers X-Intent-Secret callers of GET /api/runs/{runId} as before: no console fields, a wrong secret refused", async () => {
    const machine = await env.call(`/api/runs/${failedRunId}`, { headers: { "x-intent-secret": env.stack.sharedSecret } });
    expect(machine.status).toBe(200);
    expect(machine.body.status).toBe("failed");
    expect(machine.body.actions).toBeUndefined();
    expect((await env.call(`/api/runs/${failedRunId}`, { headers: { "x-intent-secret": "wrong" } })).status).toBe(401);
  });

  it("needs the session's token for an action", async () => {
    const withoutToken = await env.call(`/api/console/runs/${failedRunId}/retry`, { method: "POST", headers: { cookie: session.cookie } });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.body.error.code).toBe("CONSOLE_TOKEN_INVALID");
    const crossSite = await env.call(`/api/console/runs/${failedRunId}/retry`, { method: "POST", session, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    expect((await env.call(`/api/runs/${failedRunId}`, { session })).body.status).toBe("failed");
  });

  it("retries the failed run once its cause is fixed: failed steps again, success, the technician recorded", async () => {
    await env.addGroup("Project Falcon");
    const retry = await env.call(`/api/console/runs/${failedRunId}/retry`, { method: "POST", session });
    expect(retry.status).toBe(202);
    expect(retry.body.status).toBe("running");
    const run = await env.settle(failedRunId, session);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toBe(2);
    expect(run.steps.map((step: { id: string; status: string }) => [step.id, step.status])).toEqual([["lookup", "ok"], ["add", "changed"]]);
    expect(run.actions).toEqual([expect.objectContaining({ action: "retry", actorId: "local", actorName: "local operator", via: "local", outcome: "queued" })]);
    expect((await env.call("/api/runs?status=failed&ticket=5678", { session })).body.runs).toEqual([]);
    expect((await env.call("/api/runs?status=succeeded&ticket=5678", { session })).body.runs.map((r: { runId: string }) => r.runId)).toEqual([failedRunId]);
    // A succeeded run is not retried again.
    const again = await env.call(`/api/console/runs/${failedRunId}/retry`, { method: "POST", session });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RUN_NOT_RETRYABLE");
  });

  it("shows Graph throttling a run saw, the last failures and the poison queues in the health panel", async () => {
    const sandbox = env.stack.describe.find((line) => line.startsWith("sandbox tenant"))?.match(/control (http:\/\/[^/]+)/)?.[1];
    // Two throttled answers (Retry-After 0: retried at once), then Graph answers.
    const rule = await fetch(`${sandbox}/_sandbox/faults`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "throttle", method: "POST", path: "/v1.0/$batch", retryAfter: 0, times: 2 }),
    });
    expect(rule.status).toBe(201);
    const answer = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Marketing" }, 5690);
    expect(answer.body.status).toBe("succeeded");
    const health = await env.call("/api/console/health", { session });
    expect(health.status).toBe(200);
    expect(health.body.throttling).toMatchObject({ responses: 2, runs: 1, lastRunId: answer.body.runId });
    expect(health.body.poison).toEqual([
      { queue: "intent-runs-poison", messages: 0 }, { queue: "graph-notifications-poison", messages: 0 }, { queue: "intent-reports-poison", messages: 0 },
    ]);
    expect(health.body.failures.every((run: { status: string }) => run.status === "failed")).toBe(true);
  });

  it("has approvals (npm start signs links with a local key): the inbox is on, and empty", async () => {
    expect((await env.call("/api/console/approvals", { session })).body).toMatchObject({ enabled: true, approvals: [] });
  });

  it("has undo: the retried run shows its plan and the technician's undo reverses it; a run whose intent declares none is refused with its code", async () => {
    const detail = await env.call(`/api/runs/${failedRunId}`, { session });
    expect(detail.body.undo).toMatchObject({ possible: true, nothingToUndo: false, undoneBy: [] });
    expect(detail.body.undo.lines).toEqual([expect.stringMatching(/^Remove the user from the group again: DELETE \/groups\/[0-9a-f-]+\/members\/[0-9a-f-]+\/\$ref$/)]);
    // Judged by requester policy under Add User to Group: the local operator is nobody it knows.
    const refused = await env.call(`/api/console/runs/${failedRunId}/undo`, { method: "POST", session });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: "denied", undoRunId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await env.call(`/api/runs/${failedRunId}`, { session })).body.undo).toMatchObject({ nothingToUndo: false });
    // Acting as the Service Desk, who asked for the change: the undo runs, under its own id.
    const serviceDesk = await env.signIn("megan.bowen@contoso.com");
    const undo = await env.call(`/api/console/runs/${failedRunId}/undo`, { method: "POST", session: serviceDesk });
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ status: "succeeded", undoRunId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(undo.body.undoRunId).not.toBe(refused.body.undoRunId);
    // The plan reads the tenant as it is now: johanna is out of Project Falcon again, nothing is left.
    expect((await env.call(`/api/runs/${failedRunId}`, { session })).body.undo).toMatchObject({ nothingToUndo: true, undoneBy: [undo.body.undoRunId] });

    const revoke = await env.webhook("Revoke Sessions", { "User Email": "johanna.lorenz@contoso.com" }, 5680);
    const none = await env.call(`/api/console/runs/${revoke.body.runId}/undo`, { method: "POST", session });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("UNDO_NOT_DECLARED");
    expect((await env.call(`/api/runs/${revoke.body.runId}`, { session })).body.undo).toBeUndefined();
  });

  it("has scheduling: cancelling a run that waits for no time (the retried one) is refused with its status", async () => {
    const cancel = await env.call(`/api/console/runs/${failedRunId}/cancel`, { method: "POST", session });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toMatchObject({ code: "RUN_NOT_SCHEDULED", message: "The run is succeeded, not waiting for a scheduled time." });
    expect((await env.call("/api/console/schedules", { session })).body).toMatchObject({ enabled: true });
  });
});
