/**
 * Approvals, scheduling and undo reach the console through ports: what the ports say shows in the
 * inbox, the scheduled list and the run's detail; an approve, deny, cancel or undo from the console
 * reaches the port with the signed-in technician (and the comment) and is recorded with what came
 * of it; a refusal from the port is a 409 with its code. Without a port, its actions answer 501.
 */
import type { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntentError } from "../../engine/core/errors";
import { consoleAuthSettings } from "../../engine/inbound/console/auth/settings";
import { csrfToken, newSession, sealSession, SESSION_COOKIE } from "../../engine/inbound/console/auth/session";
import { CONSOLE_ENDPOINTS, consoleRunDetail } from "../../engine/inbound/console/endpoints";
import type { ApprovalsPort, ConsolePorts, SchedulesPort, UndoPort } from "../../engine/inbound/console/ports";
import type { Actor, ConsoleAnswer, ConsoleDeps } from "../../engine/inbound/console/types";
import { ConsoleAudit } from "../../engine/lifecycle/runs/audit";
import type { RunRecord } from "../../engine/lifecycle/store/types";
import { openTable } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";

const SECRET = "ports-test-secret-1234";
const RUN = "feedfacefeedfacefeedfacefeedface";
const clock = createManualClock(Date.parse("2026-12-01T09:00:00Z"));
let azurite: RunningAzurite;
let actions: TableClient;
const calls: Array<{ port: string; args: unknown[] }> = [];

const record: RunRecord = {
  runId: RUN, ticketId: "5678", intentName: "Password Reset", requester: "megan.bowen@contoso.com", requesterName: "Megan Bowen",
  target: "diego.siciliani@contoso.com", status: "running", attempts: 1, createdAt: "2026-12-01T08:00:00.000Z",
  updatedAt: "2026-12-01T08:00:00.000Z", leaseUntil: 0, suspended: true,
};

const approvals: ApprovalsPort = {
  pending: async () => [{
    approvalId: "ap-1", runId: RUN, intentName: "Password Reset", ticketId: "5678", requester: "megan.bowen@contoso.com",
    target: "diego.siciliani@contoso.com", requestedAt: "2026-12-01T08:00:00.000Z", expiresAt: "2026-12-02T08:00:00.000Z",
    approvers: ["Diego's manager, Lynne Robbins"], changes: ["passwordProfile: reset, delivered to the helpdesk"],
  }],
  stateOf: async (runId) => (runId === RUN ? { state: "pending", approvers: ["lynne.robbins@contoso.com"] } : undefined),
  decide: async (approvalId, decision, actor, comment) => {
    calls.push({ port: "decide", args: [approvalId, decision, actor, comment] });
    return approvalId === "ap-1" ? { ok: true, status: decision === "approve" ? "running" : "denied", message: `Recorded: ${decision}.` }
      : { ok: false, error: new IntentError("RUN_NOT_FOUND", "No approval has this id.") };
  },
};

const schedules: SchedulesPort = {
  upcoming: async () => [{ runId: RUN, intentName: "User Offboarding", ticketId: "5678", requester: "megan.bowen@contoso.com", target: "bob@contoso.com", dueAt: "2026-12-18T17:00:00.000Z", next: "start" }],
  stateOf: async () => ({ dueAt: "2026-12-18T17:00:00.000Z", next: "start" }),
  cancel: async (runId, actor) => {
    calls.push({ port: "cancel", args: [runId, actor] });
    return { ok: true, status: "cancelled", message: "The scheduled run is cancelled." };
  },
};

const undo: UndoPort = {
  planFor: async () => ({ possible: true, changes: ["re-enable the account"], notReversible: ["revoked sessions"] }),
  start: async (runId, actor) => {
    calls.push({ port: "undo", args: [runId, actor] });
    return { ok: false, error: new IntentError("RUN_IN_PROGRESS", "An undo of this run is running.") };
  },
};

function deps(ports: ConsolePorts): ConsoleDeps {
  return {
    auth: consoleAuthSettings({}), sharedSecret: async () => SECRET, clock, audit: new ConsoleAudit(actions), ports,
    intents: { names: () => [], canonical: () => undefined },
    retry: { store: { get: async (runId: string) => (runId === RUN ? record : undefined) }, kept: { read: async () => undefined } },
  } as unknown as ConsoleDeps;
}

const session = newSession({ sub: "local", name: "local operator", via: "local" }, clock.now(), 3_600_000);
const LOCAL: Actor = { id: "local", name: "local operator", via: "local" };

async function call(consoleDeps: ConsoleDeps, name: string, params: Record<string, string>, body?: unknown): Promise<ConsoleAnswer> {
  const endpoint = CONSOLE_ENDPOINTS.find((candidate) => candidate.name === name)!;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${sealSession(session, SECRET)}`, "x-console-token": csrfToken(session, SECRET) };
  return endpoint.handle({
    deps: consoleDeps, params, events: () => undefined,
    request: {
      method: endpoint.method, url: `http://127.0.0.1:7071/api/${endpoint.route}`, header: (h) => headers[h] ?? null,
      body: text === undefined ? null : (async function* () { yield new TextEncoder().encode(text); })(),
    },
  });
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  actions = await openTable({ kind: "connection-string", connectionString: azurite.connectionString }, "portsactions");
});

afterAll(async () => {
  await azurite?.close();
});

describe("console ports", () => {
  const full = () => deps({ approvals, schedules, undo });

  it("shows the approvals inbox and the scheduled runs the ports list, and says what the deployment has", async () => {
    expect((await call(full(), "consoleApprovals", {})).json).toMatchObject({ enabled: true, approvals: [expect.objectContaining({ approvalId: "ap-1", changes: ["passwordProfile: reset, delivered to the helpdesk"] })] });
    expect((await call(full(), "consoleSchedules", {})).json).toMatchObject({ enabled: true, scheduled: [expect.objectContaining({ dueAt: "2026-12-18T17:00:00.000Z" })] });
    expect((await call(full(), "consoleMe", {})).json).toMatchObject({ features: { approvals: true, schedules: true, undo: true } });
  });

  it("adds the approval, schedule and undo plan to the run's detail", async () => {
    const detail = await consoleRunDetail({ deps: full(), params: { runId: RUN }, events: () => undefined, request: { method: "GET", url: `http://127.0.0.1/api/runs/${RUN}`, header: (h) => (h === "cookie" ? `${SESSION_COOKIE}=${sealSession(session, SECRET)}` : null), body: null } });
    expect(detail.json).toMatchObject({
      runId: RUN, requester: "megan.bowen@contoso.com", target: "diego.siciliani@contoso.com",
      approval: { state: "pending" }, schedule: { next: "start" }, undo: { possible: true }, retry: { possible: false },
    });
  });

  it("passes an approval with the technician and the comment to the port, and records it", async () => {
    const answer = await call(full(), "consoleDecide", { approvalId: "ap-1" }, { decision: "approve", runId: RUN, comment: "Checked with Diego by phone." });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: "running" });
    expect(calls.at(-1)).toEqual({ port: "decide", args: ["ap-1", "approve", LOCAL, "Checked with Diego by phone."] });
    expect(await new ConsoleAudit(actions).list(RUN)).toContainEqual(expect.objectContaining({ action: "approve", actorName: "local operator", outcome: "running", comment: "Checked with Diego by phone." }));
  });

  it("refuses a decision that is neither approve nor deny, or a comment too long, before the port sees it", async () => {
    const before = calls.length;
    expect((await call(full(), "consoleDecide", { approvalId: "ap-1" }, { decision: "maybe" })).status).toBe(400);
    expect((await call(full(), "consoleDecide", { approvalId: "ap-1" }, { decision: "deny", comment: "x".repeat(1_001) })).status).toBe(400);
    expect((await call(full(), "consoleDecide", { approvalId: "ap-1" }, [1, 2])).status).toBe(400);
    expect((await call(full(), "consoleDecide", { approvalId: "ap#1'" }, { decision: "approve" })).json).toMatchObject({ error: { code: "CONSOLE_QUERY_INVALID", details: [{ parameter: "approvalId" }] } });
    expect(calls.length).toBe(before);
  });

  it("answers a refusal from the port with 409 and its code, and records it", async () => {
    const denied = await call(full(), "consoleDecide", { approvalId: "ap-unknown" }, { decision: "deny", runId: RUN });
    expect(denied.status).toBe(409);
    expect(denied.json).toMatchObject({ error: { code: "RUN_NOT_FOUND" } });
    const undone = await call(full(), "consoleUndo", { runId: RUN });
    expect(undone.status).toBe(409);
    expect(await new ConsoleAudit(actions).list(RUN)).toContainEqual(expect.objectContaining({ action: "undo", outcome: "refused: RUN_IN_PROGRESS" }));
  });

  it("cancels a scheduled run through the port, naming the technician", async () => {
    const answer = await call(full(), "consoleCancel", { runId: RUN });
    expect(answer.status).toBe(200);
    expect(calls.at(-1)).toEqual({ port: "cancel", args: [RUN, LOCAL] });
  });

  it("answers 501 for each action whose part the deployment lacks", async () => {
    const none = deps({});
    for (const [name, params, body] of [["consoleDecide", { approvalId: "ap-1" }, { decision: "approve" }], ["consoleCancel", { runId: RUN }, undefined], ["consoleUndo", { runId: RUN }, undefined]] as const) {
      const answer = await call(none, name, params, body);
      expect(answer.status, name).toBe(501);
      expect(answer.json).toMatchObject({ error: { code: "CONSOLE_FEATURE_OFF" } });
    }
  });
});
