/**
 * Scheduling through the whole product over real HTTP, on one manual clock (nothing sleeps for
 * real): an offboarding with a last day answers 202 in the requester's words and runs at 17:00 that
 * day in London, across the end of summer time, once; a 30-day delayed delete happens on day 30 and
 * not before, across a restart; cancelling (HTTP and webhook intent) and rescheduling; dates that
 * cannot be scheduled are 422 naming the field.
 */
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEDULE_TABLE } from "../../engine/lifecycle/schedule";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startPsaSandboxes, type PsaSandboxes } from "../../sandbox/psa";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { intentsFolder, startScheduleApp, webhook, type ScheduleApp, type Shared } from "./support/stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";

const DAY = 86_400_000;
const clock = createManualClock(Date.parse("2026-10-20T09:00:00Z"));
let shared: Shared;
let app: ScheduleApp;
let azurite: RunningAzurite;
let sandbox: Sandbox;
let psas: PsaSandboxes;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  psas = await startPsaSandboxes({ now: () => clock.now() });
  shared = { azurite, sandbox, psas, clock, intentsDir: intentsFolder() };
  app = await startScheduleApp(shared);
});

afterAll(async () => {
  await app?.close();
  await psas?.close();
  await sandbox?.close();
  await azurite?.close();
});

const setTime = (iso: string) => clock.advance(Date.parse(iso) - clock.now());
const writesTo = (user: string) => sandbox.requests().filter((r) => r.method !== "GET" && r.path.includes(user)).map((r) => `${r.method} ${decodeURIComponent(r.path.replace("/v1.0", ""))}`);
const user = (upn: string) => sandbox.tenant.users.find((u) => u.userPrincipalName === upn);

describe("an offboarding on the last day", () => {
  it("answers 202 scheduled in the requester's words, and runs at 17:00 that day in London once summer time has ended, not an hour early, once", async () => {
    setTime("2026-10-20T09:00:00Z");
    const body = webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "isaiah.langer@contoso.com", "Last Day": "06/11/2026" }, 8101);
    const answer = await app.post(body);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      status: "scheduled",
      message: "isaiah.langer@contoso.com will be offboarded on Friday 6 November at 17:00.",
      steps: [],
      schedule: { step: "lookup", at: "2026-11-06T17:00:00+00:00" },
    });
    const { runId } = answer.body;
    expect((await app.getRun(runId)).body).toMatchObject({ status: "scheduled", schedule: { at: "2026-11-06T17:00:00+00:00" } });
    const again = await app.post(body);
    expect(again.body).toMatchObject({ runId, duplicate: true, status: "scheduled" });

    for (const at of ["2026-10-21T09:00:00Z", "2026-11-06T16:00:00Z", "2026-11-06T16:59:59Z"]) {
      setTime(at);
      await app.tick();
      expect(writesTo("isaiah.langer")).toEqual([]);
    }
    setTime("2026-11-06T17:00:20Z");
    await app.tick();
    expect(writesTo("isaiah.langer")).toEqual(["PATCH /users/isaiah.langer@contoso.com", "POST /users/isaiah.langer@contoso.com/revokeSignInSessions"]);
    expect(user("isaiah.langer@contoso.com")?.accountEnabled).toBe(false);
    const done = await app.getRun(runId);
    expect(done.body).toMatchObject({ status: "succeeded", message: "isaiah.langer@contoso.com is offboarded: they can no longer sign in and were signed out everywhere." });

    setTime("2026-11-06T17:05:00Z");
    await app.tick();
    await app.post(body);
    expect(writesTo("isaiah.langer")).toHaveLength(2);
  });

  it("tells the ticket it is scheduled, and when, before it tells it the offboarding is done", async () => {
    await app.deliverReports();
    const notes = psas.connectwise.tickets.list(8101);
    const scheduled = notes.filter((n) => /\/scheduled\//.test(n.text));
    expect(scheduled.map((n) => n.internal).sort()).toEqual([false, true]);
    expect(scheduled.find((n) => n.internal)?.text).toContain("The run starts on Friday 6 November 2026 at 17:00 (Europe/London).");
    expect(notes.filter((n) => /\/succeeded\//.test(n.text))).toHaveLength(2);
  });
});

describe("a step that waits 30 days", () => {
  it("disables now and deletes on day 30, not before, across a restart of the whole app", async () => {
    setTime("2026-10-01T08:00:00Z");
    const answer = await app.post(webhook("Disable Then Delete", { "User Email": "diego.siciliani@contoso.com" }, 8102));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      status: "scheduled",
      message: "diego.siciliani@contoso.com is disabled and will be deleted on Saturday 31 October at 09:00.",
      steps: [{ id: "disable", status: "changed" }],
      schedule: { step: "delete", at: "2026-10-31T09:00:00+00:00" },
    });
    expect(user("diego.siciliani@contoso.com")?.accountEnabled).toBe(false);

    // Nothing holds the wait in memory: a new app over the same storage picks it up.
    await app.close();
    app = await startScheduleApp(shared);
    for (const day of [1, 7, 8, 29]) {
      setTime(new Date(Date.parse("2026-10-01T08:00:00Z") + day * DAY).toISOString());
      await app.tick();
      expect(user("diego.siciliani@contoso.com"), `day ${day}`).toBeDefined();
    }
    setTime("2026-10-31T08:59:00Z");
    await app.tick();
    expect(user("diego.siciliani@contoso.com")).toBeDefined();
    setTime("2026-10-31T09:00:00Z");
    await app.tick();
    expect(user("diego.siciliani@contoso.com")).toBeUndefined();
    expect(writesTo("diego.siciliani")).toEqual(["PATCH /users/diego.siciliani@contoso.com", "DELETE /users/diego.siciliani@contoso.com"]);
    const done = await app.getRun(answer.body.runId);
    expect(done.body).toMatchObject({ status: "succeeded", steps: [{ id: "disable", status: "changed", resumed: true }, { id: "delete", status: "changed" }] });
  });
});

describe("cancelling", () => {
  it("DELETE /api/runs/{id}/schedule cancels a scheduled run, which then never runs; again is the same answer; a run that is not scheduled is 409", async () => {
    setTime("2026-11-10T09:00:00Z");
    const answer = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "johanna.lorenz@contoso.com", "Last Day": "2026-11-13" }, 8103));
    const { runId } = answer.body;
    expect((await app.cancel(runId, "wrong-secret")).status).toBe(401);
    const cancelled = await app.cancel(runId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ runId, status: "cancelled", message: "This scheduled request was cancelled; nothing more of it will happen." });
    expect((await app.cancel(runId)).body).toMatchObject({ status: "cancelled", alreadyCancelled: true });
    setTime("2026-11-13T18:00:00Z");
    await app.tick();
    expect(writesTo("johanna.lorenz")).toEqual([]);
    expect((await app.getRun(runId)).body.status).toBe("cancelled");

    const now = await app.post(webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Marketing" }, 8103));
    expect((await app.cancel(now.body.runId)).status).toBe(409);
    expect((await app.cancel(now.body.runId)).body.error.code).toBe("RUN_NOT_SCHEDULED");
    expect((await app.cancel("0".repeat(32))).status).toBe(404);

    // The ticket's "scheduled" note does not stand alone: the cancellation follows it, once.
    await app.deliverReports();
    const notes = psas.connectwise.tickets.list(8103).filter((n) => n.text.includes(runId));
    expect(notes.map((n) => /\/(\w+)\/(internal|customer)$/.exec(n.text)?.slice(1).join(" ")).sort()).toEqual(["cancelled customer", "cancelled internal", "scheduled customer", "scheduled internal"]);
    const cancelledNote = notes.find((n) => n.internal && n.text.endsWith("/cancelled/internal"))?.text ?? "";
    expect(cancelledNote).toContain("The scheduled request was cancelled before its time; what it had not done yet will not happen.");
    expect(cancelledNote).toContain("Cancelled on request. The run was to start on Friday 13 November 2026 at 17:00 (Europe/London).");
    expect(notes.find((n) => !n.internal && n.text.endsWith("/cancelled/customer"))?.text).toContain("This scheduled request was cancelled; nothing more of it will happen.");
  });

  it("the Cancel Scheduled Request intent cancels the ticket's pending offboarding (named by an alias), and says when there is nothing to cancel", async () => {
    setTime("2026-11-16T09:00:00Z");
    const offboarding = await app.post(webhook("Disable Account", { ...SIGN_OUT_ONLY, "User Email": "miriam.graham@contoso.com", "Last Day": "20/11/2026" }, 8104));
    expect(offboarding.body.status).toBe("scheduled");
    const cancel = await app.post(webhook("Cancel Scheduled Request", { Request: "User Offboarding / Disable Account" }, 8104));
    expect(cancel.body).toMatchObject({ status: "succeeded", message: "Cancelled: User Offboarding. Nothing more of it will run." });
    expect((await app.getRun(offboarding.body.runId)).body.status).toBe("cancelled");
    const nothing = await app.post(webhook("Cancel Scheduled Request", {}, 8104));
    expect(nothing.body).toMatchObject({ status: "failed", error: { code: "NOTHING_SCHEDULED" }, message: "Nothing was cancelled: nothing on this ticket is waiting for a scheduled time." });
    setTime("2026-11-20T17:30:00Z");
    await app.tick();
    expect(writesTo("miriam.graham")).toEqual([]);
  });
});

describe("the console's scheduled runs", () => {
  it("lists what waits and when, shows it on the run, and cancels a start or a delayed step as the signed-in technician", async () => {
    setTime("2026-11-17T09:00:00Z");
    const offboarding = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "adele.vance@contoso.com", "Last Day": "2026-11-20" }, 8110));
    const delayed = await app.post(webhook("Disable Then Delete", { "User Email": "ben.walters@contoso.com" }, 8111));
    expect([offboarding.body.status, delayed.body.status]).toEqual(["scheduled", "scheduled"]);
    const session = await app.signIn();

    const list = await app.console("/api/console/schedules", session);
    expect(list.status).toBe(200);
    const ours = list.body.scheduled.filter((item: { ticketId: string }) => item.ticketId === "8110" || item.ticketId === "8111");
    expect(ours).toEqual([
      // Earliest first; the target is the record's (the intent's `target:` field, which the test intent names).
      expect.objectContaining({ runId: offboarding.body.runId, intentName: "User Offboarding", ticketId: "8110", requester: "megan.bowen@contoso.com", dueAt: "2026-11-20T17:00:00.000Z", next: "start" }),
      { runId: delayed.body.runId, intentName: "Disable Then Delete", ticketId: "8111", requester: "megan.bowen@contoso.com", target: "ben.walters@contoso.com", dueAt: "2026-12-17T09:00:00.000Z", next: "delete" },
    ]);
    const detail = await app.console(`/api/runs/${delayed.body.runId}`, session);
    expect(detail.body).toMatchObject({ status: "scheduled", schedule: { step: "delete", at: "2026-12-17T09:00:00+00:00", dueAt: "2026-12-17T09:00:00.000Z", next: "delete" } });
    expect(JSON.stringify(detail.body.schedule)).not.toContain("ben.walters");

    for (const run of [offboarding.body.runId, delayed.body.runId]) {
      const cancel = await app.console(`/api/console/runs/${run}/cancel`, session, "POST");
      expect(cancel).toEqual({ status: 200, body: { runId: run, status: "cancelled", message: "The scheduled run was cancelled; nothing more of it will run." } });
    }
    expect((await app.console(`/api/console/runs/${delayed.body.runId}/cancel`, session, "POST")).body.message).toBe("The run was already cancelled.");
    const refused = await app.console(`/api/console/runs/${"0".repeat(32)}/cancel`, session, "POST");
    expect([refused.status, refused.body.error.code]).toEqual([409, "RUN_NOT_FOUND"]);
    expect((await app.console("/api/console/schedules", session)).body.scheduled.map((item: { runId: string }) => item.runId)).not.toContain(delayed.body.runId);
    const cancelled = await app.console(`/api/runs/${delayed.body.runId}`, session);
    expect(cancelled.body).toMatchObject({ status: "cancelled", steps: [{ id: "disable", status: "changed" }] });
    expect(cancelled.body.schedule).toEqual({ step: "delete", at: "2026-12-17T09:00:00+00:00" });
    expect(cancelled.body.actions).toEqual([
      expect.objectContaining({ action: "cancel", actorId: "local", via: "local", outcome: "cancelled" }),
      expect.objectContaining({ action: "cancel", actorId: "local", via: "local", outcome: "cancelled" }),
    ]);

    for (const at of ["2026-11-20T17:30:00Z", "2026-12-17T09:30:00Z"]) {
      setTime(at);
      await app.tick();
    }
    expect(writesTo("adele.vance")).toEqual([]);
    expect(writesTo("ben.walters")).toEqual(["PATCH /users/ben.walters@contoso.com"]);
    expect(user("ben.walters@contoso.com")).toBeDefined();
  });
});

describe("rescheduling", () => {
  it("a new last day for the same ticket and intent moves the offboarding instead of adding one", async () => {
    setTime("2026-11-23T09:00:00Z");
    // Someone holding no directory role: requester policy refuses every write to those.
    const first = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "grace.taylor@contoso.com", "Last Day": "2026-11-27" }, 8105));
    const second = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "grace.taylor@contoso.com", "Last Day": "2026-12-04" }, 8105));
    expect(second.body).toMatchObject({ status: "scheduled", message: "grace.taylor@contoso.com will be offboarded on Friday 4 December at 17:00." });
    expect(second.body.runId).not.toBe(first.body.runId);
    expect((await app.getRun(first.body.runId)).body).toMatchObject({ status: "cancelled", message: "This scheduled request was replaced by a newer one for the same ticket." });
    // The first request delivered again is still the cancelled run: it does not come back.
    expect((await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "grace.taylor@contoso.com", "Last Day": "2026-11-27" }, 8105))).body).toMatchObject({ duplicate: true, status: "cancelled" });
    setTime("2026-11-27T17:10:00Z");
    await app.tick();
    expect(writesTo("grace.taylor")).toEqual([]);
    setTime("2026-12-04T17:00:30Z");
    await app.tick();
    expect(writesTo("grace.taylor")).toEqual(["PATCH /users/grace.taylor@contoso.com", "POST /users/grace.taylor@contoso.com/revokeSignInSessions"]);

    // The ticket says the first date was replaced, so the technician does not read two schedules.
    await app.deliverReports();
    const replaced = psas.connectwise.tickets.list(8105).find((n) => n.internal && n.text.endsWith(`run ${first.body.runId}/cancelled/internal`))?.text ?? "";
    expect(replaced).toContain(`Replaced by a newer request for the same ticket (run ${second.body.runId}). The run was to start on Friday 27 November 2026 at 17:00 (Europe/London).`);
  });
});

describe("dates that cannot be scheduled", () => {
  const refused = async (lastDay: string) => {
    const answer = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "pradeep.gupta@contoso.com", "Last Day": lastDay }, 8106));
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("FIELD_INVALID");
    return answer.body.errors.map((e: { field: string; message: string }) => `${e.field}: ${e.message}`);
  };

  it("refuses a relative date, a date in the past, and one beyond the horizon, naming the field; nothing is claimed or sent", async () => {
    setTime("2026-12-07T09:00:00Z");
    expect(await refused("Friday 5pm")).toEqual(['lastDay: Last Day must be a calendar date such as 2026-12-18 or 18/12/2026 17:00, not a relative one like "Friday 5pm" or "tomorrow"']);
    expect(await refused("01/12/2026")).toEqual(["lastDay: Last Day is in the past; send the date the request should happen on"]);
    expect(await refused("2027-06-30")).toEqual(["lastDay: Last Day is more than 180 days ahead; the latest a request can be scheduled for is Saturday 5 June 2027 at 10:00"]);
    expect(writesTo("pradeep.gupta")).toEqual([]);
    // Up to a day late runs at once ("my last day was yesterday").
    const late = await app.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "pradeep.gupta@contoso.com", "Last Day": "06/12/2026" }, 8106));
    expect(late.body.status).toBe("succeeded");
  });

  it("takes the horizon from SCHEDULE_HORIZON_DAYS", async () => {
    const short = await startScheduleApp(shared, { SCHEDULE_HORIZON_DAYS: "7" });
    try {
      setTime("2026-12-07T09:00:00Z");
      const answer = await short.post(webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "pradeep.gupta@contoso.com", "Last Day": "2026-12-18" }, 8107));
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0].message).toBe("Last Day is more than 7 days ahead; the latest a request can be scheduled for is Monday 14 December at 09:00");
    } finally {
      await short.close();
    }
  });
});

describe("a scheduled run with a secret field", () => {
  const rows = async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, SCHEDULE_TABLE, { allowInsecureConnection: true });
    const all: unknown[] = [];
    for await (const row of table.listEntities()) all.push(row);
    return JSON.stringify(all);
  };
  // The sandbox never keeps a password (its log masks it): a reset it accepted (204) had one that
  // passes its complexity rules, which a lost or empty secret would not.
  const resets = (upn: string) => sandbox.requests().filter((r) => r.method === "PATCH" && decodeURIComponent(r.path).endsWith(upn)).map((r) => r.status);

  it("keeps the secret sealed while it waits, and uses it when the time comes", async () => {
    setTime("2026-12-08T09:00:00Z");
    const answer = await app.post(webhook("Scheduled Password Reset", { "User Email": "conor.obrien@contoso.com", "Temporary Password": "Wait-For-It-7391", When: "09/12/2026 08:30" }, 8108));
    expect(answer.body).toMatchObject({ status: "scheduled", schedule: { step: "reset", at: "2026-12-09T08:30:00+00:00" } });
    expect(await rows()).toContain("conor.obrien@contoso.com");
    expect(await rows()).not.toContain("Wait-For-It-7391");
    setTime("2026-12-09T08:30:00Z");
    await app.tick();
    expect(resets("conor.obrien@contoso.com")).toEqual([204]);
    expect(user("conor.obrien@contoso.com")?.passwordProfile?.lastChangedDateTime).toBe("2026-12-09T08:30:00.000Z");
    expect((await app.getRun(answer.body.runId)).body.status).toBe("succeeded");
  });

  it("ends as RUN_ABANDONED when the shared secret was rotated in the meantime, and sends nothing", async () => {
    setTime("2026-12-08T09:00:00Z");
    const answer = await app.post(webhook("Scheduled Password Reset", { "User Email": "reception@contoso.com", "Temporary Password": "Rotated-Away-5521", When: "2026-12-10T12:00" }, 8109));
    expect(answer.body.status).toBe("scheduled");
    const rotated = await startScheduleApp(shared, { INTENT_SHARED_SECRET: "a-new-shared-secret-after-rotation" });
    try {
      setTime("2026-12-10T12:00:30Z");
      await rotated.tick();
      expect(resets("reception@contoso.com")).toEqual([]);
      const record = await fetch(`${rotated.url}/api/runs/${answer.body.runId}`, { headers: { "x-intent-secret": "a-new-shared-secret-after-rotation" } });
      expect(await record.json()).toMatchObject({ status: "failed", error: { code: "RUN_ABANDONED" } });
      expect(await rows()).not.toContain(answer.body.runId);
    } finally {
      await rotated.close();
    }
  });
});
