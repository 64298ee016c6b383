/**
 * Who may use the console. In App Service: only with the platform's authentication on, only a
 * principal App Service validated, only a member of the technician group. Locally: only a signed
 * session; a principal header is worth nothing there. Actions: the session's anti-forgery token,
 * from the console's own origin. Sessions: signed, expiring, bound to the shared secret.
 */
import { describe, expect, it } from "vitest";
import { authenticate, checkAction, type Signed } from "../../engine/inbound/console/auth/authenticate";
import { parsePrincipal, principalHeader } from "../../engine/inbound/console/auth/principal";
import { consoleAuthSettings } from "../../engine/inbound/console/auth/settings";
import { cookieValue, csrfToken, newSession, openSession, sealSession, SESSION_COOKIE, sessionCookie } from "../../engine/inbound/console/auth/session";
import { SignInCodes } from "../../engine/inbound/console/auth/sign-in-codes";
import { consolePage, escapeHtml } from "../../engine/inbound/console/page";
import type { ConsoleDeps, ConsoleRequest } from "../../engine/inbound/console/types";
import { createManualClock } from "../support/manual-clock";

const SECRET = "console-test-secret-1234";
const GROUP = "6f1c8e2a-0000-4000-8000-00000000c0de";
const clock = createManualClock(Date.parse("2026-11-30T10:00:00Z"));

function deps(env: Record<string, string>): ConsoleDeps {
  return { auth: consoleAuthSettings(env), sharedSecret: async () => SECRET, clock } as unknown as ConsoleDeps;
}

const AZURE = { WEBSITE_INSTANCE_ID: "abc", WEBSITE_AUTH_ENABLED: "True", CONSOLE_GROUP_ID: GROUP.toUpperCase() };

function request(headers: Record<string, string> = {}, method = "GET", url = "https://engine.example.net/api/runs"): ConsoleRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, url, header: (name) => lower[name.toLowerCase()] ?? null, body: null };
}

const technician = principalHeader({ id: "11111111-2222-3333-4444-555555555555", name: "tech@contoso.com", groups: [GROUP] });

describe("the App Service principal", () => {
  it("reads Entra's object id, name and groups; refuses anything else", () => {
    expect(parsePrincipal(technician)).toEqual({ id: "11111111-2222-3333-4444-555555555555", name: "tech@contoso.com", groups: [GROUP], groupsOverage: false });
    expect(parsePrincipal(null)).toBeUndefined();
    expect(parsePrincipal("not base64 json")).toBeUndefined();
    const github = Buffer.from(JSON.stringify({ auth_typ: "github", claims: [{ typ: "oid", val: "x" }] })).toString("base64");
    expect(parsePrincipal(github)).toBeUndefined();
    const noId = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "name", val: "x" }] })).toString("base64");
    expect(parsePrincipal(noId)).toBeUndefined();
  });
});

describe("authenticate in App Service", () => {
  it("refuses everyone while the platform's authentication is off or no group is configured (503)", async () => {
    for (const env of [{ ...AZURE, WEBSITE_AUTH_ENABLED: "False" }, { WEBSITE_INSTANCE_ID: "abc", WEBSITE_AUTH_ENABLED: "True" }]) {
      const outcome = await authenticate(deps(env), request({ "x-ms-client-principal": technician }));
      expect(outcome).toMatchObject({ ok: false, refusal: { status: 503, error: { code: "CONSOLE_AUTH_UNAVAILABLE" } } });
    }
  });

  it("asks for a sign-in without a principal (401), refuses a non-member (403), admits a member", async () => {
    expect(await authenticate(deps(AZURE), request())).toMatchObject({ ok: false, refusal: { status: 401, error: { code: "CONSOLE_UNAUTHENTICATED" } } });
    const outsider = principalHeader({ id: "o", name: "guest@contoso.com", groups: ["another-group"] });
    expect(await authenticate(deps(AZURE), request({ "x-ms-client-principal": outsider }))).toMatchObject({ ok: false, refusal: { status: 403, error: { code: "CONSOLE_FORBIDDEN" } } });
    expect(await authenticate(deps(AZURE), request({ "x-ms-client-principal": technician }))).toMatchObject({
      ok: true, signed: { actor: { id: "11111111-2222-3333-4444-555555555555", name: "tech@contoso.com", via: "entra" } },
    });
  });

  it("sends the browser to Entra's sign-in rather than show the page", async () => {
    const answer = await consolePage(deps(AZURE), request({}, "GET", "https://engine.example.net/api/console"));
    expect(answer.status).toBe(302);
    expect(answer.headers?.location).toBe("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole");
  });
});

describe("authenticate on a local server", () => {
  it("ignores a principal header (anyone could send one) and needs a signed session", async () => {
    const local = deps({});
    expect(await authenticate(local, request({ "x-ms-client-principal": technician }))).toMatchObject({ ok: false, refusal: { status: 401 } });
    const session = newSession({ sub: "local", name: "local operator", via: "local" }, clock.now(), 3_600_000);
    const cookie = `${SESSION_COOKIE}=${sealSession(session, SECRET)}`;
    expect(await authenticate(local, request({ cookie }))).toMatchObject({ ok: true, signed: { actor: { id: "local", via: "local" } } });
  });
});

describe("sessions", () => {
  const session = newSession({ sub: "local", name: "local operator", via: "local" }, clock.now(), 60_000);

  it("open only with their signature, before they expire, under the same shared secret", () => {
    const sealed = sealSession(session, SECRET);
    expect(openSession(sealed, SECRET, clock.now())).toEqual(session);
    expect(openSession(sealed, SECRET, clock.now() + 60_001)).toBeUndefined();
    expect(openSession(sealed, "another-secret-9876", clock.now())).toBeUndefined();
    const [body, signature] = sealed.split(".");
    const forged = Buffer.from(JSON.stringify({ ...session, sub: "someone-else" })).toString("base64url");
    expect(openSession(`${forged}.${signature}`, SECRET, clock.now())).toBeUndefined();
    expect(openSession(`${body}.`, SECRET, clock.now())).toBeUndefined();
    expect(openSession(undefined, SECRET, clock.now())).toBeUndefined();
  });

  it("are HttpOnly, SameSite=Strict cookies on /api, Secure over https", () => {
    expect(sessionCookie("v", 60_000, true)).toBe("intents_console=v; Path=/api; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
    expect(cookieValue("a=1; intents_console=xyz; b=2", SESSION_COOKIE)).toBe("xyz");
  });

  it("one-time sign-in codes work once, within their lifetime", () => {
    const codes = new SignInCodes(() => clock.now());
    const code = codes.issue();
    expect(codes.redeem(code)).toBe(true);
    expect(codes.redeem(code)).toBe(false);
    const late = codes.issue();
    clock.advance(16 * 60_000);
    expect(codes.redeem(late)).toBe(false);
    expect(codes.redeem(null)).toBe(false);
  });
});

describe("actions", () => {
  const session = newSession({ sub: "local", name: "local operator", via: "local" }, clock.now(), 3_600_000);
  const signed: Signed = { actor: { id: "local", name: "local operator", via: "local" }, session };
  const url = "http://127.0.0.1:7071/api/console/runs/x/retry";
  const token = csrfToken(session, SECRET);

  it("need the session's anti-forgery token", async () => {
    expect(await checkAction(deps({}), request({}, "POST", url), signed)).toMatchObject({ status: 403, error: { code: "CONSOLE_TOKEN_INVALID" } });
    expect(await checkAction(deps({}), request({ "x-console-token": "forged" }, "POST", url), signed)).toMatchObject({ status: 403 });
    expect(await checkAction(deps({}), request({ "x-console-token": token }, "POST", url), { ...signed, session: undefined })).toMatchObject({ status: 403 });
    expect(await checkAction(deps({}), request({ "x-console-token": token, "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:7071" }, "POST", url), signed)).toBeUndefined();
  });

  it("refuse a request another site made, even with the token", async () => {
    expect(await checkAction(deps({}), request({ "x-console-token": token, "sec-fetch-site": "cross-site" }, "POST", url), signed)).toMatchObject({ status: 403 });
    expect(await checkAction(deps({}), request({ "x-console-token": token, origin: "https://evil.example" }, "POST", url), signed)).toMatchObject({ status: 403 });
  });
});

describe("the page's HTML", () => {
  it("escapes what it puts into markup", () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe("&#60;script&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/script&#62;");
  });
});
