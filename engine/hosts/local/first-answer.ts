/**
 * When background upkeep may begin: once the server has answered its first request, or after
 * `quietMs` with none. A process started for a request (a scale-out, a restart) answers the
 * person waiting on it first; its subscription upkeep then takes no share of that answer.
 */
import type { Server } from "node:http";

export interface FirstAnswer {
  /** Resolves true when upkeep may begin, false when cancelled first. */
  ready: Promise<boolean>;
  /** The server is closing: resolve at once, with false. */
  cancel(): void;
}

export function afterFirstAnswer(server: Server, quietMs: number): FirstAnswer {
  let settle: (go: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => { settle = resolve; });
  const timer = setTimeout(() => done(true), quietMs);
  const onRequest = (_request: unknown, response: { once(event: "close", listener: () => void): void }) => response.once("close", () => done(true));
  server.once("request", onRequest);
  function done(go: boolean): void {
    clearTimeout(timer);
    server.off("request", onRequest);
    settle(go);
  }
  return { ready, cancel: () => done(false) };
}
