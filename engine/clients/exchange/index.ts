export { createExchangeClient, DEFAULT_EXCHANGE_BASE_URL, type ExchangeClientOptions } from "./client";
export { createExchangeTokenProvider, exchangeScope } from "./auth";
export { exchangeClientFromSettings, exchangeRouteOf, type ExchangeRoute } from "./settings";
export { codeOfText } from "./answers";
export type * from "./types";
