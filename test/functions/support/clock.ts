import type { Clock } from "../../../engine/runtime/types";

/** A clock the test moves by hand; sleeps resolve at once and are recorded, so no test waits. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    advance: (ms) => { now += ms; },
    sleeps,
  };
}
