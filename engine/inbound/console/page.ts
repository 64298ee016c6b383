/**
 * The console page and its sign-in: a static shell (assets/console.html) whose script builds every
 * value into the DOM as text, served with a strict Content-Security-Policy (scripts and styles
 * from this origin only, nothing inline, no framing). The only value put into HTML here is the
 * session's anti-forgery token or a fixed message, HTML-escaped all the same.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedSecretMatches } from "../webhook/shared-secret";
import { readLimitedBody } from "../webhook/body";
import { authenticate, isSecure, LOCAL_ACTOR, type Signed } from "./auth/authenticate";
import { clearedSessionCookie, csrfToken, newSession, sealSession, sessionCookie, type Session } from "./auth/session";
import type { ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "./types";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join("; ");

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // The one-time sign-in link must not travel on in a Referer.
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const ASSET_TYPES: Readonly<Record<string, string>> = {
  "console.js": "text/javascript; charset=utf-8",
  "console.css": "text/css; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

const cache = new Map<string, string>();

function asset(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(__dirname, "assets", name), "utf8");
    cache.set(name, text);
  }
  return text;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, text: string, headers: Record<string, string> = {}): ConsoleAnswer {
  return { status, headers: { "content-type": "text/html; charset=utf-8", ...PAGE_HEADERS, ...headers }, text };
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => escapeHtml(values[name] ?? ""));
}

export function messagePage(status: number, title: string, message: string, headers: Record<string, string> = {}): ConsoleAnswer {
  return html(status, fill(asset("message.html"), { title, message }), headers);
}

function signInPage(status: number, message: string, headers: Record<string, string> = {}): ConsoleAnswer {
  return html(status, fill(asset("signin.html"), { message }), headers);
}

export function assetAnswer(name: string): ConsoleAnswer {
  const type = ASSET_TYPES[name];
  if (!type) return { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" }, text: "Not found." };
  return { status: 200, headers: { "content-type": type, "x-content-type-options": "nosniff", "cache-control": "no-cache" }, text: asset(name) };
}

/** The session this page load uses: the request's own, or a new one (set as a cookie). */
async function pageSession(deps: ConsoleDeps, request: ConsoleRequest, signed: Signed): Promise<{ session: Session; cookie?: string }> {
  if (signed.session) return { session: signed.session };
  const session = newSession({ sub: signed.actor.id, name: signed.actor.name, via: signed.actor.via }, deps.clock.now(), deps.auth.sessionMs);
  return { session, cookie: sessionCookie(sealSession(session, await deps.sharedSecret()), deps.auth.sessionMs, isSecure(request)) };
}

/** `GET /api/console`: the page for a signed-in technician; otherwise sign-in (locally) or Entra's login (in Azure). */
export async function consolePage(deps: ConsoleDeps, request: ConsoleRequest): Promise<ConsoleAnswer> {
  const outcome = await authenticate(deps, request);
  if (!outcome.ok) {
    const { status, error } = outcome.refusal;
    if (deps.auth.mode === "local") return signInPage(401, "Sign in to see runs.");
    if (status === 401) return { status: 302, headers: { ...PAGE_HEADERS, location: "/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole" } };
    return messagePage(status, "Not available", `${error.message} ${error.fix ?? ""}`.trim());
  }
  const { session, cookie } = await pageSession(deps, request, outcome.signed);
  const page = fill(asset("console.html"), { token: csrfToken(session, await deps.sharedSecret()) });
  return html(200, page, cookie ? { "set-cookie": cookie } : {});
}

const ACT_AS = /^[^\s@<>"(),;:]{1,64}@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+$/;

/**
 * Locally there is no sign-in service to say who someone is, and whoever holds the shared secret
 * may do anything already; they may name the address they act as (an approver's, to decide an
 * approval from the inbox). Empty: the local operator. Anything but an address: refused.
 */
function actingAs(value: string | null | undefined): { ok: true; name: string } | { ok: false } {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "") return { ok: true, name: LOCAL_ACTOR.name };
  return text.length <= 254 && ACT_AS.test(text) ? { ok: true, name: text } : { ok: false };
}

const NOT_AN_ADDRESS = "“Act as” must be an e-mail address, such as an approver's, or empty.";

async function startLocalSession(deps: ConsoleDeps, request: ConsoleRequest, name: string): Promise<ConsoleAnswer> {
  const session = newSession({ sub: LOCAL_ACTOR.id, name, via: "local" }, deps.clock.now(), deps.auth.sessionMs);
  const cookie = sessionCookie(sealSession(session, await deps.sharedSecret()), deps.auth.sessionMs, isSecure(request));
  // 303: the address bar loses the one-time code, and a reload does not post the secret again.
  return { status: 303, headers: { ...PAGE_HEADERS, location: "/api/console", "set-cookie": cookie } };
}

function notHere(): ConsoleAnswer {
  return messagePage(404, "Not here", "Sign-in links and the shared-secret sign-in exist only on a local development server; in Azure, sign in with Microsoft Entra ID.");
}

/** `GET /api/console/signin?code=…`: the one-time link `npm start` printed. */
export async function signInWithCode(deps: ConsoleDeps, request: ConsoleRequest): Promise<ConsoleAnswer> {
  if (deps.auth.mode !== "local" || !deps.signInCodes) return notHere();
  const query = new URL(request.url).searchParams;
  const actor = actingAs(query.get("as"));
  // Checked before the code is spent, so a mistyped address does not cost the link.
  if (!actor.ok) return signInPage(400, NOT_AN_ADDRESS);
  if (!deps.signInCodes.redeem(query.get("code"))) return signInPage(401, "This sign-in link was used already or has expired. Sign in with the shared secret instead.");
  return startLocalSession(deps, request, actor.name);
}

/** `POST /api/console/signin` (form field `secret`): the shared secret in a request body, never in a URL. */
export async function signInWithSecret(deps: ConsoleDeps, request: ConsoleRequest): Promise<ConsoleAnswer> {
  if (deps.auth.mode !== "local") return notHere();
  const site = request.header("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return signInPage(403, "Sign in from the console's own page.");
  let form: URLSearchParams;
  try {
    form = new URLSearchParams((await readLimitedBody(request.body, request.header("content-length"), 4096, 5_000)).toString("utf8"));
  } catch {
    return signInPage(400, "The sign-in form could not be read.");
  }
  if (!sharedSecretMatches(form.get("secret"), await deps.sharedSecret())) return signInPage(401, "That is not the shared secret.");
  const actor = actingAs(form.get("as"));
  if (!actor.ok) return signInPage(400, NOT_AN_ADDRESS);
  return startLocalSession(deps, request, actor.name);
}

/** `POST /api/console/signout`: forgets the console session (Entra's own session ends at /.auth/logout). */
export function signOut(request: ConsoleRequest): ConsoleAnswer {
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "set-cookie": clearedSessionCookie(isSecure(request)) }, json: { message: "Signed out." } };
}
