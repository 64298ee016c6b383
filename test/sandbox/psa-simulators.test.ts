/** The PSA simulators' own contract: vendor answers, auth checks, control surface, fault rules. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutotaskSandbox, startConnectWiseSandbox, startHaloSandbox, type AutotaskSandbox, type ConnectWiseSandbox, type HaloSandbox } from "../../sandbox/psa";

let cw: ConnectWiseSandbox;
let at: AutotaskSandbox;
let halo: HaloSandbox;

beforeAll(async () => {
  [cw, at, halo] = await Promise.all([startConnectWiseSandbox(), startAutotaskSandbox(), startHaloSandbox()]);
});

afterAll(async () => {
  await Promise.all([cw?.close(), at?.close(), halo?.close()]);
});

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const cwHeaders = () => ({
  clientId: cw.credentials.clientId,
  authorization: `Basic ${Buffer.from(`${cw.credentials.companyId}+${cw.credentials.publicKey}:${cw.credentials.privateKey}`).toString("base64")}`,
  "content-type": "application/json",
});
const atHeaders = () => ({ UserName: at.credentials.userName, Secret: at.credentials.secret, ApiIntegrationCode: at.credentials.integrationCode, "content-type": "application/json" });

describe("ConnectWise Manage simulator", () => {
  it("refuses a note with no display flag, as ConnectWise does", async () => {
    const answer = await call(`${cw.apiBaseUrl}/service/tickets/77/notes`, { method: "POST", headers: cwHeaders(), body: JSON.stringify({ text: "hello" }) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "InvalidObject", errors: [{ message: "Please choose where to display the notes in order to save this record." }] });
  });

  it("creates a note (201, the ServiceNote) and finds it by a text condition", async () => {
    const created = await call(`${cw.apiBaseUrl}/service/tickets/77/notes`, { method: "POST", headers: cwHeaders(), body: JSON.stringify({ text: "Ref abc", internalAnalysisFlag: true }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ticketId: 77, text: "Ref abc", internalAnalysisFlag: true, internalFlag: true, externalFlag: false });
    const found = await call(`${cw.apiBaseUrl}/service/tickets/77/notes?conditions=${encodeURIComponent('text like "%Ref abc%"')}`, { headers: cwHeaders() });
    expect(found.body).toHaveLength(1);
    const bad = await call(`${cw.apiBaseUrl}/service/tickets/77/notes?conditions=${encodeURIComponent("id > 3")}`, { headers: cwHeaders() });
    expect(bad.status).toBe(400);
  });

  it("answers an unknown ticket 404 NotFound", async () => {
    const answer = await call(`${cw.apiBaseUrl}/service/tickets/900000/notes`, { method: "POST", headers: cwHeaders(), body: JSON.stringify({ text: "x", detailDescriptionFlag: true }) });
    expect(answer).toMatchObject({ status: 404, body: { code: "NotFound", message: "Ticket 900000 not found" } });
  });
});

describe("Autotask simulator", () => {
  it("gives the zone's API URL without credentials", async () => {
    const zone = await call(`${at.zoneLookupUrl}/V1.0/zoneInformation?user=${encodeURIComponent(at.credentials.userName)}`);
    expect(zone.body).toEqual({ zoneName: "Sandbox", url: `${at.url}/ATServicesRest/`, webUrl: `${at.url}/`, ci: 0 });
  });

  it("answers an unknown user 500 and a wrong secret 401, as Autotask does, with {errors}", async () => {
    const url = `${at.zoneLookupUrl}/V1.0/Tickets/5/Notes`;
    const unknown = await call(url, { method: "POST", headers: { ...atHeaders(), UserName: "nobody@x" }, body: "{}" });
    expect(unknown.status).toBe(500);
    expect(unknown.body.errors).toHaveLength(1);
    const wrong = await call(url, { method: "POST", headers: { ...atHeaders(), Secret: "nope" }, body: "{}" });
    expect(wrong.status).toBe(401);
  });

  it("validates a TicketNote and answers {itemId}", async () => {
    const url = `${at.zoneLookupUrl}/v1.0/tickets/5/notes`; // paths are case-insensitive
    const invalid = await call(url, { method: "POST", headers: atHeaders(), body: JSON.stringify({ description: "", noteType: 99, publish: 7 }) });
    expect(invalid.status).toBe(500);
    expect(invalid.body.errors).toHaveLength(3);
    const created = await call(url, { method: "POST", headers: atHeaders(), body: JSON.stringify({ ticketID: 5, title: "t", description: "d", noteType: 1, publish: 1 }) });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ itemId: expect.any(Number) });
  });
});

describe("HaloPSA simulator", () => {
  it("issues a token by client credentials and refuses a wrong client", async () => {
    const form = (secret: string) => new URLSearchParams({ grant_type: "client_credentials", client_id: halo.credentials.clientId, client_secret: secret, scope: "all" });
    const refused = await call(`${halo.url}/auth/token`, { method: "POST", body: form("nope") });
    expect(refused).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const issued = await call(`${halo.url}/auth/token`, { method: "POST", body: form(halo.credentials.clientSecret) });
    expect(issued.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const noToken = await call(`${halo.url}/api/Actions`, { method: "POST", body: "[]" });
    expect(noToken.status).toBe(401);
    const actions = await call(`${halo.url}/api/actions`, {
      method: "POST", headers: { authorization: `Bearer ${issued.body.access_token}`, "content-type": "application/json" },
      body: JSON.stringify([{ ticket_id: 12, note: "hi", outcome: "Private Note", hiddenfromuser: true }]),
    });
    expect(actions.status).toBe(201);
    expect(actions.body).toMatchObject({ ticket_id: 12, note: "hi", hiddenfromuser: true });
  });

  it("issues only scopes the application holds (edit:tickets includes read:tickets), and a token adds an action only with edit:tickets", async () => {
    const token = async (scope: string) => call(`${halo.url}/auth/token`, {
      method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: halo.credentials.clientId, client_secret: halo.credentials.clientSecret, scope }),
    });
    expect((await token("edit:customers")).body).toMatchObject({ error: "invalid_scope" });
    expect((await token("")).body).toMatchObject({ error: "invalid_scope" });
    expect((await token("all")).body).toMatchObject({ scope: "edit:tickets" });
    const reader = (await token("read:tickets")).body.access_token as string;
    const as = (bearer: string, init: RequestInit = {}) => ({ ...init, headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" } });
    const note = JSON.stringify([{ ticket_id: 13, note: "hi", outcome: "Private Note", hiddenfromuser: true }]);
    expect((await call(`${halo.url}/api/Actions?ticket_id=12`, as(reader))).status).toBe(200);
    expect(await call(`${halo.url}/api/Actions`, as(reader, { method: "POST", body: note }))).toMatchObject({ status: 403, body: "The token's scopes do not include edit:tickets." });
    const editor = (await token("edit:tickets")).body.access_token as string;
    expect((await call(`${halo.url}/api/Actions?ticket_id=12`, as(editor))).status).toBe(200);
    expect((await call(`${halo.url}/api/Actions`, as(editor, { method: "POST", body: note }))).status).toBe(201);
  });
});

describe("control surface", () => {
  it("validates fault rules and logs requests with secrets masked", async () => {
    const bad = await call(`${halo.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ kind: "error", afterApply: "yes" }) });
    expect(bad.status).toBe(400);
    const requests = await call(`${halo.url}/_sandbox/requests`);
    const token = requests.body.value.find((r: { path: string }) => r.path === "/auth/token");
    expect(token.body.client_secret).toBe("***");
    expect(JSON.stringify(requests.body)).not.toContain(halo.credentials.clientSecret);
  });

  it("a budget rule throttles with the Retry-After that refills it", async () => {
    const rule = await call(`${cw.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ kind: "budget", capacity: 1, windowSeconds: 60, path: "/v4_6_release/*" }) });
    expect(rule.status).toBe(201);
    const send = () => fetch(`${cw.apiBaseUrl}/service/tickets/78/notes`, { method: "POST", headers: cwHeaders(), body: JSON.stringify({ text: "x", detailDescriptionFlag: true }) });
    expect((await send()).status).toBe(201);
    const throttled = await send();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    await call(`${cw.url}/_sandbox/faults`, { method: "DELETE" });
    const tickets = await call(`${cw.url}/_sandbox/tickets/78/notes`);
    expect(tickets.body.value).toHaveLength(1);
  });
});
