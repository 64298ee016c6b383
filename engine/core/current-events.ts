/**
 * The event sink of the invocation being served, for clients built once per process (Graph, ARM):
 * their events (`graph.request`, `graph.retry`, `arm.request`) go to the logger of the invocation
 * they happened in, with its invocationId, instead of nowhere.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { EventSink } from "./events";

const current = new AsyncLocalStorage<EventSink>();

/** Runs `work` with `events` as the current invocation's sink (and everything it awaits). */
export function withEvents<T>(events: EventSink, work: () => T): T {
  return current.run(events, work);
}

/** Writes to the current invocation's sink; outside any invocation the event is dropped. */
export const ambientEvents: EventSink = (event, fields) => {
  current.getStore()?.(event, fields);
};

/** Runs `work` with a sink that shows each event to `tap` first, then to the current invocation's sink. */
export function tappedEvents<T>(tap: EventSink, work: () => T): T {
  const outer = current.getStore();
  return current.run((event, fields) => {
    tap(event, fields);
    outer?.(event, fields);
  }, work);
}
