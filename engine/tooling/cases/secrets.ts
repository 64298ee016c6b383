/**
 * Remembers every password the engine actually sent to Graph during a case, by wrapping the
 * client, so a test can scan every log line and record for those exact values.
 */
import type { GraphClient, GraphRequest } from "../../clients/graph/types";

function passwordsIn(request: GraphRequest): string[] {
  const profile = (request.body as { passwordProfile?: { password?: unknown } } | undefined)?.passwordProfile;
  return typeof profile?.password === "string" ? [profile.password] : [];
}

export function recordingSentPasswords(graph: GraphClient, sent: Set<string>): GraphClient {
  const note = (requests: GraphRequest[]): void => requests.flatMap(passwordsIn).forEach((p) => sent.add(p));
  return {
    request: (request, options) => (note([request]), graph.request(request, options)),
    batch: (requests, options) => (note(requests), graph.batch(requests, options)),
    getAll: (request, options) => graph.getAll(request, options),
  };
}
