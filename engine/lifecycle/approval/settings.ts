/**
 * Approval settings: how long an approval waits (APPROVAL_LIFETIME_HOURS, default 24) and the
 * public address its links point at (APPROVAL_BASE_URL, else https:// + the site's host name, which
 * App Service sets). The signing key, APPROVAL_SIGNING_KEY, is a secret read like the shared one.
 */
import { IntentError } from "../../core/errors";

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_LIFETIME_HOURS = 24;
/** A month: longer and the plan an approver reads says little about the tenant it will meet. */
export const MAX_LIFETIME_HOURS = 720;

export interface ApprovalSettings {
  lifetimeMs: number;
  /** Origin (and path prefix, if any) the links start with; undefined when it cannot be known. */
  baseUrl: string | undefined;
}

function lifetimeHours(env: Env): number {
  const text = env.APPROVAL_LIFETIME_HOURS?.trim();
  if (!text) return DEFAULT_LIFETIME_HOURS;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_LIFETIME_HOURS) {
    throw new IntentError("CONFIG_MISSING", `The setting APPROVAL_LIFETIME_HOURS must be a number of hours above 0 and at most ${MAX_LIFETIME_HOURS}, not "${text}".`, {
      fix: `Set APPROVAL_LIFETIME_HOURS to e.g. 24 (fractions allowed: 0.5 is half an hour).`,
    });
  }
  return hours;
}

export function readApprovalSettings(env: Env): ApprovalSettings {
  const explicit = env.APPROVAL_BASE_URL?.trim().replace(/\/+$/, "");
  const host = env.WEBSITE_HOSTNAME?.trim();
  return { lifetimeMs: Math.round(lifetimeHours(env) * 3_600_000), baseUrl: explicit || (host ? `https://${host}` : undefined) };
}
