/**
 * In App Service, every console action (retry, cancel, approve, deny, undo) is taken and recorded
 * as the technician Entra signed in: the part's port gets that identity, and the action log holds
 * its object id and user name, whatever the request body claims. The session and its anti-forgery
 * token come from loading the page as that technician; another technician's session, a missing
 * token or a cross-site request is refused before any port is called or anything recorded.
 */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalHeader } from "../../engine/inbound/console/auth/principal";
import { consoleAuthSettings } from "../../engine/inbound/console/auth/settings";
import { CONSOLE_ENDPOINTS } from "../../engine/inbound/console/endpoints";
import { consolePage } from "../../engine/inbound/console/page";
import type { ActionOutcome, ConsolePorts } from "../../engine/inbound/console/ports";
import type { Actor, ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "../../engine/inbound/console/types";
import { ConsoleAudit } from "../../engine/lifecycle/runs/audit";
import type { RunRecord } from "../../engine/lifecycle/store/types";
import { openTable } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";

const SECRET = "identity-test-secret-1234";
const GROUP = "6f1c8e2a-0000-4000-8000-00000000c0de";
const ORIGIN = "https://engine.example.net";
const RUN = "c0ffee00c0ffee00c0ffee00c0ffee00";
const OTHER_RUN = "abcde000000000000000000000000000";
const UNDO_RUN = "0000000000000000000000000000d0d0";
const AZURE = { WEBSITE_INSTANCE_ID: "abc", WEBSITE_AUTH_ENABLED: "True", CONSOLE_GROUP_ID: GROUP };
const GRACE = { id: "9f0c2d4e-1111-4222-8333-444455556666", name: "grace.taylor@contoso.com", groups: [GROUP] };
const ISAIAH = { id: "1a2b3c4d-5555-4666-8777-888899990000", name: "isaiah.langer@contoso.com", groups: [GROUP] };
const GRACE_ACTOR: Actor = { id: GRACE.id, name: GRACE.name, via: "entra" };

const clock = createManualClock(Date.parse("2026-12-01T09:00:00Z"));
let azurite: RunningAzurite;
let actions: TableClient;
const portCalls: Array<{ port: string; actor: Actor }> = [];

const done = (status: string): ActionOutcome => ({ ok: true, status, message: "Done." });
const ports: ConsolePorts = {
  approvals: {
    pending: async () => ["ap-1", "ap-2"].map((approvalId) => ({
      approvalId, runId: RUN, intentName: "Password Reset", ticketId: "5678", requester: "megan.bowen@contoso.com", target: "diego.siciliani@contoso.com",
      requestedAt: "2026-12-01T08:00:00.000Z", expiresAt: "2026-12-02T08:00:00.000Z", approvers: [], changes: [],
    })),
    stateOf: async () => undefined,
    decide: async (_id, decision, actor) => { portCalls.push({ port: decision, actor }); return done(decision === "approve" ? "running" : "denied"); },
  },
  schedules: {
    upcoming: async () => [],
    stateOf: async () => undefined,
    cancel: async (_runId, actor) => { portCalls.push({ port: "cancel", actor }); return done("cancelled"); },
  },
  undo: {
    planFor: async () => undefined,
    start: async (_runId, actor) => { portCalls.push({ port: "undo", actor }); return { ...done("running"), undoRunId: UNDO_RUN }; },
  },
};

// A run that is still running: its retry is refused, and the refusal is recorded with who asked.
const record = { runId: RUN, status: "running", intentName: "Password Reset", ticketId: "5678", createdAt: "2026-12-01T08:00:00.000Z" } as RunRecord;

function deps(): ConsoleDeps {
  const audit = new ConsoleAudit(actions);
  return {
    auth: consoleAuthSettings(AZURE), sharedSecret: async () => SECRET, clock, audit, ports,
    intents: { names: () => [], canonical: () => undefined },
    retry: { store: { get: async (id: string) => (id === RUN ? record : undefined) }, kept: { read: async () => undefined }, audit, clock },
  } as unknown as ConsoleDeps;
}

function request(method: string, path: string, headers: Record<string, string>, body?: unknown): ConsoleRequest {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return {
    method, url: `${ORIGIN}/api/${path}`, header: (name) => headers[name.toLowerCase()] ?? null,
    body: text === undefined ? null : (async function* () { yield new TextEncoder().encode(text); })(),
  };
}

interface Browser {
  principal: string;
  cookie: string;
  token: string;
}

/** What a technician's browser holds after App Service signed them in and they opened the console. */
async function openConsole(who: typeof GRACE): Promise<Browser> {
  const principal = principalHeader(who);
  const page = await consolePage(deps(), request("GET", "console", { "x-ms-client-principal": principal }));
  expect(page.status).toBe(200);
  const cookie = (page.headers?.["set-cookie"] ?? "").split(";")[0]!;
  const token = /name="console-token" content="([^"]+)"/.exec(page.text ?? "")?.[1] ?? "";
  expect(cookie).toMatch(/^intents_console=./);
  expect(token).not.toBe("");
  return { principal, cookie, token };
}

async function act(name: string, params: Record<string, string>, headers: Record<string, string>, body?: unknown): Promise<ConsoleAnswer> {
  const endpoint = CONSOLE_ENDPOINTS.find((candidate) => candidate.name === name)!;
  const path = endpoint.route.replace(/\{(\w+)\}/g, (_all, key: string) => params[key] ?? "");
  return endpoint.handle({ deps: deps(), params, events: () => undefined, request: request("POST", path, headers, body) });
}

const signedHeaders = (browser: Browser, extra: Record<string, string> = {}) => ({
  "x-ms-client-principal": browser.principal, cookie: browser.cookie, "x-console-token": browser.token,
  origin: ORIGIN, "sec-fetch-site": "same-origin", ...extra,
});

beforeAll(async () => {
  azurite = await startTestAzurite();
  actions = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "identityactions");
});

afterAll(async () => {
  await azurite?.close();
});

describe("console actions in App Service", () => {
  it("take and record every action as the Entra technician, whatever the body claims", async () => {
    const grace = await openConsole(GRACE);
    const headers = signedHeaders(grace);
    // A second apart: the log lists a run's actions oldest first.
    const later = (answer: ConsoleAnswer) => { clock.advance(1_000); return answer; };
    const answers = [
      later(await act("consoleRetry", { runId: RUN }, headers)),
      later(await act("consoleCancel", { runId: RUN }, headers)),
      later(await act("consoleDecide", { approvalId: "ap-1" }, headers, { decision: "approve", runId: RUN, comment: "Checked by phone.", actor: "someone-else" })),
      // The trail is the approval's run's, whatever run the body names.
      later(await act("consoleDecide", { approvalId: "ap-2" }, headers, { decision: "deny", runId: OTHER_RUN })),
      later(await act("consoleUndo", { runId: RUN }, headers)),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([409, 200, 200, 200, 200]);
    // The undo's answer names the run it started, for the page to follow.
    expect(answers[4]!.json).toMatchObject({ runId: RUN, status: "running", undoRunId: UNDO_RUN });
    expect(portCalls).toEqual(["cancel", "approve", "deny", "undo"].map((port) => ({ port, actor: GRACE_ACTOR })));
    const recorded = await new ConsoleAudit(actions).list(RUN);
    expect(recorded.map(({ action, actorId, actorName, via, outcome }) => ({ action, actorId, actorName, via, outcome }))).toEqual([
      { action: "retry", actorId: GRACE.id, actorName: GRACE.name, via: "entra", outcome: "refused: RUN_NOT_RETRYABLE" },
      { action: "cancel", actorId: GRACE.id, actorName: GRACE.name, via: "entra", outcome: "cancelled" },
      { action: "approve", actorId: GRACE.id, actorName: GRACE.name, via: "entra", outcome: "running" },
      { action: "deny", actorId: GRACE.id, actorName: GRACE.name, via: "entra", outcome: "denied" },
      { action: "undo", actorId: GRACE.id, actorName: GRACE.name, via: "entra", outcome: "running" },
    ]);
    expect(recorded.find((entry) => entry.action === "approve")?.comment).toBe("Checked by phone.");
    expect(await new ConsoleAudit(actions).list(OTHER_RUN)).toEqual([]);
  });

  it("refuse another technician's session, a missing token and a cross-site request before anything happens", async () => {
    const grace = await openConsole(GRACE);
    const isaiah = await openConsole(ISAIAH);
    const before = { calls: portCalls.length, recorded: (await new ConsoleAudit(actions).list(RUN)).length };
    const refusals = [
      // Isaiah's principal with Grace's session and token: the session is not his.
      await act("consoleCancel", { runId: RUN }, { ...signedHeaders(grace), "x-ms-client-principal": isaiah.principal }),
      await act("consoleUndo", { runId: RUN }, signedHeaders(grace, { "x-console-token": "" })),
      await act("consoleDecide", { approvalId: "ap-1" }, signedHeaders(grace, { "sec-fetch-site": "cross-site" }), { decision: "approve", runId: RUN }),
      await act("consoleRetry", { runId: RUN }, signedHeaders(grace, { "sec-fetch-site": "same-site", origin: "https://evil.example.net" })),
      // Isaiah's own token does not open Grace's session either.
      await act("consoleCancel", { runId: RUN }, signedHeaders(grace, { "x-console-token": isaiah.token })),
    ];
    expect(refusals.map((answer) => [answer.status, (answer.json?.error as { code?: string } | undefined)?.code])).toEqual(
      Array.from({ length: 5 }, () => [403, "CONSOLE_TOKEN_INVALID"]),
    );
    expect(portCalls.length).toBe(before.calls);
    expect((await new ConsoleAudit(actions).list(RUN)).length).toBe(before.recorded);
  });
});
