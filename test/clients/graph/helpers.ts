import { createGraphClient, type GraphClientOptions } from "../../../engine/clients/graph/client";
import type { ScriptedServer } from "./scripted-server";

export const TEST_TOKEN = "eyJ0eXAiOiJKV1QifQ.test-token.signature";

export interface RecordedEvent {
  name: string;
  fields: Record<string, unknown>;
}

/** A client pointed at the scripted server's `/v1.0`, with a static token and recorded events. */
export function clientFor(server: ScriptedServer, options: Partial<GraphClientOptions> = {}) {
  const events: RecordedEvent[] = [];
  const client = createGraphClient({
    baseUrl: `${server.origin}/v1.0`,
    tokens: { getToken: () => Promise.resolve(TEST_TOKEN) },
    events: (name, fields) => events.push({ name, fields }),
    ...options,
  });
  return { client, events };
}
