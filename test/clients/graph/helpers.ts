import { afterEach } from "vitest";
import { createGraphClient, type GraphClientOptions } from "../../../engine/clients/graph/client";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

export const TEST_TOKEN = "eyJ0eXAiOiJKV1QifQ.test-token.signature";

export interface RecordedEvent {
  name: string;
  fields: Record<string, unknown>;
}

const open: Array<{ close(): Promise<void> }> = [];
// Whatever a test opened through `serve` or `clientFor` is closed after it, newest first, so a
// client lets go of its connections before its server stops.
afterEach(async () => {
  for (const closable of open.splice(0).reverse()) await closable.close();
});

export function closeAfterTest<T extends { close(): Promise<void> }>(closable: T): T {
  open.push(closable);
  return closable;
}

/** A scripted server closed after the test. */
export async function serve(...args: Parameters<typeof startScriptedServer>): Promise<ScriptedServer> {
  return closeAfterTest(await startScriptedServer(...args));
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
  return { client: closeAfterTest(client), events };
}
