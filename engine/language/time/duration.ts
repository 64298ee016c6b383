/**
 * ISO 8601 durations for step delays (`after: P30D`, `PT4H`, `P1M`). The date part counts on the
 * tenant's wall clock (P1D is the same time tomorrow, 23 or 25 hours across a DST change; P1M
 * keeps the day of the month, or the month's last day when it is shorter); the time part is
 * elapsed time. This is how Temporal and RFC 5545 add durations.
 */
import { daysInMonth, instantOf, wallTimeAt } from "./zone";

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** The form the schema allows: whole numbers only, at least one part. */
export const DURATION_PATTERN = "^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$";
const DURATION = new RegExp(DURATION_PATTERN);

export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const n = (part: string | undefined) => (part ? Number(part.slice(0, -1)) : 0);
  return { years: n(match[1]), months: n(match[2]), weeks: n(match[3]), days: n(match[4]), hours: n(match[6]), minutes: n(match[7]), seconds: n(match[8]) };
}

export function isZero(duration: Duration): boolean {
  return Object.values(duration).every((part) => part === 0);
}

/** `instant` plus `duration` in `zone`. */
export function addDuration(instant: number, duration: Duration, zone: string): number {
  let at = instant;
  if (duration.years || duration.months || duration.weeks || duration.days) {
    const wall = wallTimeAt(zone, instant);
    const months = wall.month - 1 + duration.months + duration.years * 12;
    const year = wall.year + Math.floor(months / 12);
    const month = (((months % 12) + 12) % 12) + 1;
    const day = Math.min(wall.day, daysInMonth(year, month));
    // Days and weeks move along the calendar from the clamped date; Date.UTC carries month ends.
    const moved = new Date(Date.UTC(year, month - 1, day + duration.days + duration.weeks * 7));
    at = instantOf(zone, { ...wall, year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
  }
  return at + ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
}
