import type { Clock } from "../../../engine/runtime/types";

/** A clock the test moves by hand; sleeps resolve at once and are recorded, so no test waits. */
export function manualClock(start = Date.UTC(2026, 10, 23, 6, 0, 0)): Clock & { advance(ms: number): void; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    advance: (ms) => { now += ms; },
    sleeps,
  };
}
