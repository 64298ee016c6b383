/**
 * How the console signs people in. In Azure (App Service sets WEBSITE_INSTANCE_ID) only App Service
 * Authentication (Entra ID) counts, and only for members of CONSOLE_GROUP_ID; with authentication
 * off there (WEBSITE_AUTH_ENABLED is not True) the console refuses everyone rather than trust a
 * header anyone could send. Anywhere else the console is a local development server: a session
 * started from a one-time link or the shared secret.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface ConsoleAuthSettings {
  mode: "appservice" | "local";
  /** App Service Authentication is on for this app (its front end validated the sign-in). */
  platformAuthEnabled: boolean;
  /** Object id of the Entra group whose members may use the console (lower-cased). */
  groupId: string | undefined;
  /** How long a console session (its anti-forgery token) lasts. */
  sessionMs: number;
}

const HOUR = 3_600_000;

export function consoleAuthSettings(env: Env): ConsoleAuthSettings {
  const inAppService = Boolean(env.WEBSITE_INSTANCE_ID);
  const hours = Number(env.CONSOLE_SESSION_HOURS ?? "8");
  return {
    mode: inAppService ? "appservice" : "local",
    platformAuthEnabled: (env.WEBSITE_AUTH_ENABLED ?? "").toLowerCase() === "true",
    groupId: env.CONSOLE_GROUP_ID?.trim().toLowerCase() || undefined,
    sessionMs: (Number.isFinite(hours) && hours > 0 ? Math.min(hours, 24) : 8) * HOUR,
  };
}
