import type { ErrorCode } from "../../core/errors";

/**
 * Who an HTTP client talks to, as its messages and error codes name it: the one sender serves
 * Microsoft Graph and the Exchange Online admin API alike.
 */
export interface ServiceNames {
  /** "Microsoft Graph", "Exchange Online". */
  name: string;
  /** The code of "no answer at all" (refused, reset, DNS). */
  unreachable: ErrorCode;
  /** The code of "no access token for it". */
  auth: ErrorCode;
  /** The setting that holds the endpoint, named in fixes. */
  endpointSetting: string;
}

export const GRAPH_SERVICE: ServiceNames = {
  name: "Microsoft Graph",
  unreachable: "GRAPH_UNREACHABLE",
  auth: "GRAPH_AUTH",
  endpointSetting: "GRAPH_BASE_URL",
};
