import type { Clock } from "../../../engine/runtime/types";

/** A clock tests move by hand: sleeping advances time at once, so polling takes no real time. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms: number) {
      slept.push(ms);
      now += ms;
    },
  };
}
