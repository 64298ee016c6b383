import type { Clock } from "../../engine/runtime/types";

export type ManualClock = Clock & { sleeps: number[]; advance(ms: number): void };

/**
 * A clock whose time only moves when someone sleeps or calls `advance`. A sleep resolves at once
 * and moves time to its wake-up instant, so retry waits cost no real time while servers that stamp
 * arrivals with `now()` still see the waits. Concurrent sleepers that wake at the same instant do
 * not add up: time moves to the latest wake-up, not the sum.
 */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms: number): void {
      now += ms;
    },
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) throw signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
      sleeps.push(ms);
      const wakeAt = now + Math.max(0, ms);
      // Yield first so sleepers started in the same tick all measure from the same instant.
      await new Promise<void>((resolve) => setImmediate(resolve));
      now = Math.max(now, wakeAt);
    },
  };
}
