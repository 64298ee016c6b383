import { IntentError } from "../../core/errors";
import type { EngineServices } from "../../runtime/types";
import type { ExchangeClient } from "./types";

export { createExchangeClient, DEFAULT_EXCHANGE_BASE_URL, type ExchangeClientOptions } from "./client";
export { createExchangeTokenProvider, exchangeScope } from "./auth";
export { exchangeClientFromSettings, exchangeRouteOf, type ExchangeRoute } from "./settings";
export { codeOfText } from "./answers";
export type * from "./types";

/** The admin API client the host composed; its absence is a configuration problem, said plainly. */
export function exchangeClientFor(services: EngineServices): ExchangeClient {
  if (services.exchange) return services.exchange;
  throw new IntentError("CONFIG_MISSING", "Exchange Online is not configured for the admin API in this host.", {
    fix: "Compose the host with an Exchange client (EXCHANGE_BASE_URL, the identity settings), or set EXCHANGE_MODE=runbook.",
  });
}
