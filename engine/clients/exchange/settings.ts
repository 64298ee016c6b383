import { IntentError } from "../../core/errors";
import type { Clock } from "../../core/clock";
import type { EventSink } from "../../core/events";
import { createExchangeTokenProvider } from "./auth";
import { createExchangeClient, DEFAULT_EXCHANGE_BASE_URL } from "./client";
import type { ExchangeClient } from "./types";

type Settings = Readonly<Record<string, string | undefined>>;

/** How Exchange work runs in a deployment: the admin API (default) or Azure Automation runbooks. */
export type ExchangeRoute = "api" | "runbook";

/** EXCHANGE_MODE: `api` (default) or `runbook`, ignoring case; anything else is refused. */
export function exchangeRouteOf(settings: Settings): ExchangeRoute {
  const mode = settings.EXCHANGE_MODE?.trim().toLowerCase() ?? "";
  if (mode === "" || mode === "api") return "api";
  if (mode === "runbook") return "runbook";
  throw new IntentError("CONFIG_MISSING", `EXCHANGE_MODE must be "api" or "runbook", not "${settings.EXCHANGE_MODE}".`, {
    fix: "Set EXCHANGE_MODE to api (the Exchange admin API, the default) or runbook (Azure Automation runbooks).",
  });
}

/**
 * The admin API client a deployment's settings describe: EXCHANGE_BASE_URL (default the public
 * cloud's), EXCHANGE_TENANT_ID or AZURE_TENANT_ID (else the token's tenant), and the identity
 * settings Graph uses, for the Exchange resource.
 */
export function exchangeClientFromSettings(settings: Settings, options: { clock?: Clock; events?: EventSink } = {}): ExchangeClient & { close(): Promise<void> } {
  const baseUrl = settings.EXCHANGE_BASE_URL?.trim() || DEFAULT_EXCHANGE_BASE_URL;
  const tenantId = settings.EXCHANGE_TENANT_ID?.trim() || settings.AZURE_TENANT_ID?.trim();
  return createExchangeClient({
    baseUrl,
    ...(tenantId ? { tenantId } : {}),
    tokens: createExchangeTokenProvider(settings, baseUrl, options.clock === undefined ? {} : { clock: options.clock }),
    ...options,
  });
}
