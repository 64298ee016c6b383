/**
 * A scheduled intent's start time, checked when the webhook arrives and before anything is claimed:
 * more than a day in the past, or beyond the horizon (SCHEDULE_HORIZON_DAYS), is a 422 naming the
 * field, never a run that starts at once or waits for half a year by mistake. A time up to a day
 * past starts at once ("my last day is today" sent in the evening).
 */
import type { FieldError } from "../../language/spec/fields";
import { inWords } from "../../language/time/words";
import type { EngineIntent, PipelineDeps } from "../types";

/** How far in the past a start may lie and still run (at once). */
export const PAST_GRACE_MS = 86_400_000;

export type Admitted = { at?: number; errors?: undefined } | { errors: FieldError[] };

export function admitStart(deps: PipelineDeps, intent: EngineIntent, fields: Record<string, unknown>): Admitted {
  const start = deps.engine.scheduledStart?.(intent, fields);
  if (!start) return {};
  const now = deps.clock.now();
  const { variable, label } = start.field;
  const fail = (message: string): Admitted => ({ errors: [{ field: variable, label, message: `${label} ${message}` }] });
  if (start.at < now - PAST_GRACE_MS) return fail("is in the past; send the date the request should happen on");
  const horizon = now + deps.settings.scheduleHorizonMs;
  if (start.at > horizon) {
    const days = Math.round(deps.settings.scheduleHorizonMs / 86_400_000);
    return fail(`is more than ${days} days ahead; the latest a request can be scheduled for is ${inWords(horizon, deps.settings.timeZone, now)}`);
  }
  return { at: start.at };
}
