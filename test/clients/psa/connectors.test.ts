/**
 * Each PSA connector against its simulator over real HTTP: the vendor's path, headers and body,
 * the answers the outbox acts on (delivered, retry with or without ambiguity, rejected), and the
 * marker lookup after a write whose answer was lost.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PSA_KINDS, type PsaKind } from "../../../engine/clients/psa";
import { createManualClock } from "../../support/manual-clock";
import { AUTOTASK_PUBLISH_CUSTOMER, AUTOTASK_PUBLISH_INTERNAL, startPair, type PsaPair } from "./support";

const clock = createManualClock(Date.parse("2026-11-23T09:00:00Z"));
const pairs = new Map<PsaKind, PsaPair>();

beforeAll(async () => {
  for (const kind of PSA_KINDS) pairs.set(kind, await startPair(kind, clock));
});

afterAll(async () => {
  for (const pair of pairs.values()) await pair.close();
});

beforeEach(() => {
  for (const pair of pairs.values()) pair.server.faults.clear();
});

const note = (ticketId: string, visibility: "internal" | "customer", marker = `Ref ${ticketId}-${visibility}`) => ({
  ticketId, title: "Password Reset: succeeded", text: `Done.\n${marker}`, visibility,
});

describe.each(PSA_KINDS)("%s connector", (kind) => {
  const get = () => pairs.get(kind) as PsaPair;

  it("posts an internal and a customer-visible note the PSA keeps apart", async () => {
    const { connector, server } = get();
    expect(await connector.postNote(note("4711", "internal"))).toMatchObject({ kind: "delivered" });
    expect(await connector.postNote(note("4711", "customer"))).toMatchObject({ kind: "delivered" });
    const stored = server.tickets.list(4711);
    expect(stored.map((n) => n.internal)).toEqual([true, false]);
    expect(stored[0]?.text).toContain("Ref 4711-internal");
    if (kind === "connectwise") {
      expect(stored[0]?.fields).toMatchObject({ internalAnalysisFlag: true, detailDescriptionFlag: false, processNotifications: false });
      expect(stored[1]?.fields).toMatchObject({ internalAnalysisFlag: false, detailDescriptionFlag: true });
      expect(stored[0]?.text.startsWith("Password Reset: succeeded\n\n")).toBe(true);
    }
    if (kind === "autotask") {
      expect(stored[0]?.fields).toMatchObject({ ticketID: 4711, title: "Password Reset: succeeded", noteType: 1, publish: AUTOTASK_PUBLISH_INTERNAL });
      expect(stored[1]?.fields).toMatchObject({ publish: AUTOTASK_PUBLISH_CUSTOMER });
    }
    if (kind === "halopsa") {
      expect(stored[0]?.fields).toMatchObject({ ticket_id: 4711, outcome: "Private Note", hiddenfromuser: true, sendemail: false });
      expect(stored[1]?.fields).toMatchObject({ outcome: "Public Note", hiddenfromuser: false });
    }
  });

  it("finds a note by its reference line, and says when there is none", async () => {
    const { connector } = get();
    await connector.postNote(note("4712", "internal", "Ref run-a:succeeded:internal"));
    expect(await connector.findNote("4712", "Ref run-a:succeeded:internal")).toEqual({ kind: "found" });
    expect(await connector.findNote("4712", "Ref run-a:failed:internal")).toEqual({ kind: "absent" });
  });

  it("rejects an unknown ticket with the PSA's own answer (no retry)", async () => {
    const outcome = await get().connector.postNote(note("900001", "internal"));
    expect(outcome).toMatchObject({ kind: "rejected", status: 404 });
    expect(outcome.kind === "rejected" && outcome.answer).toContain("900001");
  });

  it("answers a wrong secret as worth retrying later, nothing written", async () => {
    const { server } = get();
    const before = server.tickets.list(4713).length;
    const outcome = await get().wrongSecret().postNote(note("4713", "internal"));
    expect(outcome).toMatchObject({ kind: "retry", ambiguous: false, status: 401 });
    expect(server.tickets.list(4713)).toHaveLength(before);
  });

  it("reads Retry-After from a 429 and calls it unambiguous", async () => {
    const { connector, server } = get();
    server.faults.add({ kind: "throttle", method: "POST", retryAfter: 42, times: 1 });
    expect(await connector.postNote(note("4714", "internal"))).toMatchObject({ kind: "retry", status: 429, retryAfterMs: 42_000, ambiguous: false });
    expect(server.tickets.list(4714)).toHaveLength(0);
  });

  it("calls a 500 ambiguous, and a connection lost after the write too; the marker tells", async () => {
    const { connector, server } = get();
    server.faults.add({ kind: "error", method: "POST", times: 1 });
    expect(await connector.postNote(note("4715", "internal"))).toMatchObject({ kind: "retry", status: 500, ambiguous: true });
    server.faults.add({ kind: "reset", method: "POST", times: 1, afterApply: true });
    const lost = await connector.postNote(note("4715", "customer", "Ref lost-answer"));
    expect(lost).toMatchObject({ kind: "retry", ambiguous: true });
    expect(await connector.findNote("4715", "Ref lost-answer")).toEqual({ kind: "found" });
  });
});

describe("connector specifics", () => {
  it("Autotask asks zoneInformation once, without credentials, then uses the zone's URL", async () => {
    const { connector, server } = pairs.get("autotask") as PsaPair;
    const zoneLookups = () => server.requests().filter((r) => r.path === "/ATServicesRest/V1.0/zoneInformation");
    await connector.postNote(note("4719", "internal"));
    const before = zoneLookups().length;
    await connector.postNote(note("4720", "internal"));
    await connector.postNote(note("4720", "customer"));
    expect(zoneLookups()).toHaveLength(before);
    expect(zoneLookups()[0]?.query).toEqual({ user: "api-user@contoso.example" });
    const posts = server.requests().filter((r) => r.method === "POST" && r.path === "/ATServicesRest/V1.0/Tickets/4720/Notes");
    expect(posts).toHaveLength(2);
  });

  it("HaloPSA keeps its token until it nears expiry, and replaces a refused one", async () => {
    const { connector, server } = pairs.get("halopsa") as PsaPair;
    const tokens = () => server.requests().filter((r) => r.path === "/auth/token").length;
    await connector.postNote(note("4730", "internal"));
    const first = tokens();
    await connector.postNote(note("4730", "customer"));
    expect(tokens()).toBe(first);
    const tokenRequest = server.requests().find((r) => r.path === "/auth/token");
    expect(tokenRequest?.body).toMatchObject({ grant_type: "client_credentials", scope: "edit:tickets", client_secret: "***" });
    clock.advance(3_600_000);
    expect(await connector.postNote(note("4730", "internal"))).toMatchObject({ kind: "delivered" });
    expect(tokens()).toBe(first + 1);
    // A token the PSA no longer honours: 401, a new token, the same note sent once more.
    await fetch(`${server.url}/_sandbox/tokens`, { method: "DELETE" });
    expect(await connector.postNote(note("4730", "customer"))).toMatchObject({ kind: "delivered" });
    expect(tokens()).toBe(first + 2);
    const posts = server.requests().filter((r) => r.path === "/api/Actions" && r.method === "POST" && (r.body as Array<{ ticket_id: number }>)[0]?.ticket_id === 4730);
    expect(posts.map((r) => r.status)).toEqual([201, 201, 201, 401, 201]);
    expect(server.tickets.list(4730)).toHaveLength(4);
  });

  it("ConnectWise sends Basic companyId+publicKey:privateKey, clientId and the pinned API version", async () => {
    const { connector, server } = pairs.get("connectwise") as PsaPair;
    await connector.postNote(note("4740", "internal"));
    await connector.findNote("4740", "Ref 4740-internal");
    const ours = server.requests().filter((r) => r.path.includes("/service/tickets/4740/notes"));
    expect(ours.map((r) => [r.method, r.accept])).toEqual([
      ["POST", "application/vnd.connectwise.com+json; version=2020.1"], ["GET", "application/vnd.connectwise.com+json; version=2020.1"],
    ]);
    const noClientId = await fetch(`${server.url}/v4_6_release/apis/3.0/service/tickets/5/notes`, { method: "POST", body: "{}" });
    expect(noClientId.status).toBe(400);
    const wrong = await fetch(`${server.url}/v4_6_release/apis/3.0/service/tickets/5/notes`, {
      method: "POST", headers: { clientId: "x", authorization: `Basic ${Buffer.from("contoso+a:b").toString("base64")}` }, body: "{}",
    });
    expect(wrong.status).toBe(401);
  });
});
