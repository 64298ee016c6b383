/**
 * The console's own session: an HMAC-signed cookie (HttpOnly, SameSite=Strict, Path=/api, Secure
 * over https) naming a random session id, the subject and an expiry; and the session's anti-
 * forgery token, HMAC(session id), which the page sends back in a header on every action. A
 * cross-site form cannot send the header, and a page on another origin cannot read the token.
 * Keys are derived from the shared secret, so rotating it ends every session.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "intents_console";
export const TOKEN_HEADER = "x-console-token";

export interface Session {
  sid: string;
  /** Entra object id, or "local". */
  sub: string;
  name: string;
  via: "entra" | "local";
  /** Epoch ms. */
  exp: number;
}

function keyFrom(sharedSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sharedSecret, "m365-intent-engine", `console ${purpose} v1`, 32));
}

function mac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64url");
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

export function newSession(subject: Pick<Session, "sub" | "name" | "via">, now: number, lifetimeMs: number): Session {
  return { sid: randomBytes(18).toString("base64url"), ...subject, exp: now + lifetimeMs };
}

export function sealSession(session: Session, sharedSecret: string): string {
  const body = Buffer.from(JSON.stringify(session), "utf8").toString("base64url");
  return `${body}.${mac(keyFrom(sharedSecret, "session"), body)}`;
}

/** The session a cookie value names, when its signature holds and it has not expired. */
export function openSession(value: string | undefined, sharedSecret: string, now: number): Session | undefined {
  if (!value || value.length > 4096) return undefined;
  const [body, signature, extra] = value.split(".");
  if (!body || !signature || extra !== undefined || !same(signature, mac(keyFrom(sharedSecret, "session"), body))) return undefined;
  try {
    const session = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Session;
    if (typeof session.sid !== "string" || typeof session.sub !== "string" || typeof session.exp !== "number") return undefined;
    return session.exp > now ? session : undefined;
  } catch {
    return undefined;
  }
}

export function csrfToken(session: Session, sharedSecret: string): string {
  return mac(keyFrom(sharedSecret, "anti-forgery"), session.sid);
}

export function csrfTokenMatches(presented: string | null, session: Session, sharedSecret: string): boolean {
  return presented !== null && same(presented, csrfToken(session, sharedSecret));
}

/** The value of one cookie from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", 0, secure);
}
