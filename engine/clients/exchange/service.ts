import type { ServiceNames } from "../http/service";

export const EXCHANGE_SERVICE: ServiceNames = {
  name: "Exchange Online",
  unreachable: "EXCHANGE_UNREACHABLE",
  auth: "EXCHANGE_AUTH",
  endpointSetting: "EXCHANGE_BASE_URL",
};
