import { describe, expect, it } from "vitest";
import { systemClock } from "../../../engine/core/clock";
import { createManualClock } from "../../support/manual-clock";

describe("systemClock", () => {
  it("sleeps in real time and can be cancelled", async () => {
    const started = Date.now();
    await systemClock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
  });
});

describe("createManualClock", () => {
  it("moves time by each sleep without real waiting, and sleepers started together wake together", async () => {
    const clock = createManualClock(100);
    await clock.sleep(1_000);
    expect(clock.now()).toBe(1_100);
    await Promise.all([clock.sleep(500), clock.sleep(2_000), clock.sleep(500)]);
    expect(clock.now()).toBe(3_100);
    clock.advance(50);
    expect(clock.now()).toBe(3_150);
    expect(clock.sleeps).toEqual([1_000, 500, 2_000, 500]);
  });
});
