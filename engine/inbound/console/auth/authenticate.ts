/**
 * Who is asking, for every console request; nothing is ever served anonymously. In Azure the
 * identity is App Service Authentication's (Entra ID), limited to the technician group; locally
 * it is the console session. Actions (POST) additionally need the session's anti-forgery token in
 * a header and, where the browser says where the request came from, the console's own origin.
 */
import { IntentError } from "../../../core/errors";
import type { Actor, ConsoleDeps, ConsoleRequest } from "../types";
import { parsePrincipal, PRINCIPAL_HEADER } from "./principal";
import { cookieValue, csrfTokenMatches, openSession, SESSION_COOKIE, TOKEN_HEADER, type Session } from "./session";

export interface Signed {
  actor: Actor;
  /** The console session, when the request carried a valid one for this actor. */
  session: Session | undefined;
}

export interface Refusal {
  status: 401 | 403 | 503;
  error: IntentError;
}

export type AuthOutcome = { ok: true; signed: Signed } | { ok: false; refusal: Refusal };

export const LOCAL_ACTOR: Actor = { id: "local", name: "local operator", via: "local" };

export function isSecure(request: ConsoleRequest): boolean {
  return request.url.startsWith("https:") || request.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

function refuse(status: Refusal["status"], error: IntentError): AuthOutcome {
  return { ok: false, refusal: { status, error } };
}

function unauthenticated(fix: string): IntentError {
  return new IntentError("CONSOLE_UNAUTHENTICATED", "Sign in to use the console.", { fix });
}

async function sessionOf(deps: ConsoleDeps, request: ConsoleRequest): Promise<Session | undefined> {
  return openSession(cookieValue(request.header("cookie"), SESSION_COOKIE), await deps.sharedSecret(), deps.clock.now());
}

export async function authenticate(deps: ConsoleDeps, request: ConsoleRequest): Promise<AuthOutcome> {
  const { auth } = deps;
  if (auth.mode === "local") {
    const session = await sessionOf(deps, request);
    if (!session || session.via !== "local") return refuse(401, unauthenticated("Open the console link `npm start` printed, or sign in with the shared secret."));
    // The session is signed: the address it acts as was chosen at sign-in by whoever held the secret.
    return { ok: true, signed: { actor: { ...LOCAL_ACTOR, name: session.name || LOCAL_ACTOR.name }, session } };
  }
  if (!auth.platformAuthEnabled || !auth.groupId) {
    return refuse(503, new IntentError("CONSOLE_AUTH_UNAVAILABLE", "The console cannot sign anyone in on this deployment.", {
      fix: "Deploy with consoleClientId and consoleGroupId (App Service Authentication and CONSOLE_GROUP_ID), see README: Operator console.",
    }));
  }
  const principal = parsePrincipal(request.header(PRINCIPAL_HEADER));
  if (!principal) return refuse(401, unauthenticated("Sign in with your Microsoft 365 account at /.auth/login/aad."));
  if (!principal.groups.includes(auth.groupId)) {
    return refuse(403, new IntentError("CONSOLE_FORBIDDEN", "Your account is not in the console's technician group.", {
      fix: principal.groupsOverage
        ? "Your account is in too many groups for the sign-in token to list them: have the app registration emit only groups assigned to the application."
        : "Ask an administrator to add you to the technician group (CONSOLE_GROUP_ID).",
    }));
  }
  const actor: Actor = { id: principal.id, name: principal.name, via: "entra" };
  const session = await sessionOf(deps, request);
  return { ok: true, signed: { actor, session: session && session.sub === actor.id ? session : undefined } };
}

/** Whether a signed-in request may change something: its session's token, from the console's own origin. */
export async function checkAction(deps: ConsoleDeps, request: ConsoleRequest, signed: Signed): Promise<Refusal | undefined> {
  const forged = (message: string) => ({
    status: 403 as const,
    error: new IntentError("CONSOLE_TOKEN_INVALID", message, { fix: "Reload the console page and try again." }),
  });
  const site = request.header("sec-fetch-site");
  if (site !== null && site !== "same-origin") return forged("The action did not come from the console's own page.");
  const origin = request.header("origin");
  if (origin !== null && origin !== new URL(request.url).origin && !sameHost(origin, request)) return forged("The action came from another origin.");
  if (!signed.session || !csrfTokenMatches(request.header(TOKEN_HEADER), signed.session, await deps.sharedSecret())) {
    return forged("The action did not carry this session's anti-forgery token.");
  }
  return undefined;
}

/** Behind App Service's front ends the request URL may name an internal host; the Host header is the public one. */
function sameHost(origin: string, request: ConsoleRequest): boolean {
  try {
    const host = request.header("x-forwarded-host") ?? request.header("host");
    return host !== null && new URL(origin).host === host.split(",")[0]?.trim();
  } catch {
    return false;
  }
}
