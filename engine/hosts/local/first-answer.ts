/**
 * When background upkeep may begin: once the server has answered its first request, or after
 * `quietMs` with none. A process started for a request (a scale-out, a restart) answers the
 * person waiting on it first; its subscription upkeep then takes no share of that answer.
 */
import type { Server } from "node:http";

export interface FirstAnswer {
  /** Resolves when upkeep may begin, or when cancelled. */
  ready: Promise<void>;
  /** The server is closing: resolve at once (the caller knows it closed). */
  cancel(): void;
}

export function afterFirstAnswer(server: Server, quietMs: number): FirstAnswer {
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { settle = resolve; });
  const timer = setTimeout(done, quietMs);
  const onRequest = (_request: unknown, response: { once(event: "close", listener: () => void): void }) => response.once("close", done);
  server.once("request", onRequest);
  function done(): void {
    clearTimeout(timer);
    server.off("request", onRequest);
    settle();
  }
  return { ready, cancel: done };
}
