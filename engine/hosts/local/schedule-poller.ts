/**
 * Plays the Function App's schedule timer locally: every minute it hands due wake-ups to the
 * continuation queue, as startScheduledRuns does in Azure. Ticks never overlap, and a tick that
 * fails is logged by the handler and tried again next minute.
 */
import { invokeTimer, type TimerHandler } from "../functions/invoke";

export interface SchedulePollerOptions {
  handler: TimerHandler;
  /** Default one minute, as the Azure timer. */
  everyMs?: number;
  log?: (level: string, line: string) => void;
}

export interface SchedulePoller {
  /** One tick now (what the timer does each minute). */
  tickOnce(): Promise<void>;
  stop(): Promise<void>;
}

export const LOCAL_SCHEDULE_MS = 60_000;

export function startSchedulePoller(options: SchedulePollerOptions, autoStart = true): SchedulePoller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const tickOnce = async (): Promise<void> => {
    await invokeTimer(options.handler, "startScheduledRuns", options.log);
  };

  function next(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tickOnce().catch(() => undefined).then(next);
    }, options.everyMs ?? LOCAL_SCHEDULE_MS);
    timer.unref();
  }

  if (autoStart) next();
  return {
    tickOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
