/**
 * The tenant's calendar: its time zone (TENANT_TIME_ZONE, an IANA name) and the order of day and
 * month in numeric dates (TENANT_DATE_ORDER, DMY or MDY). `date` and `datetime` fields are read
 * with it, schedules and delays fall on its wall clock, and times are told back in its words.
 */
import { IntentError } from "../../core/errors";
import { parseDateText, type TimeOfDay } from "./parse";
import { instantOf, isoDate, isoLocal, requireTimeZone } from "./zone";

export interface TenantCalendar {
  timeZone: string;
  /** True when 05/06/2026 is 5 June (DMY); false when it is May 6 (MDY). */
  dayFirst: boolean;
}

export const UTC_CALENDAR: TenantCalendar = Object.freeze({ timeZone: "UTC", dayFirst: true });

/** The calendar the settings name; unset means UTC and day-first. Throws CONFIG_MISSING on a bad value. */
export function calendarFrom(settings: Readonly<Record<string, string | undefined>>): TenantCalendar {
  const zone = settings.TENANT_TIME_ZONE?.trim() || "UTC";
  const given = settings.TENANT_DATE_ORDER?.trim();
  const order = (given || "DMY").toUpperCase();
  if (order !== "DMY" && order !== "MDY") {
    throw new IntentError("CONFIG_MISSING", `The setting TENANT_DATE_ORDER must be DMY or MDY, not "${given}".`, {
      fix: "Set TENANT_DATE_ORDER to DMY (18/12/2026) or MDY (12/18/2026), the order Thread's forms use.",
    });
  }
  return { timeZone: requireTimeZone(zone, "TENANT_TIME_ZONE"), dayFirst: order === "DMY" };
}

export type Coerced = { value: string } | { error: string };

function isMidnight(time: TimeOfDay | undefined): boolean {
  return !time || (time.hour === 0 && time.minute === 0 && time.second === 0);
}

/** A `date` field's value: `YYYY-MM-DD`. A time of day other than midnight is refused, not dropped. */
export function dateValue(raw: string, calendar: TenantCalendar): Coerced {
  const parsed = parseDateText(raw, calendar.dayFirst);
  if ("problem" in parsed) return { error: parsed.problem };
  if (!isMidnight(parsed.time)) return { error: "must be a date without a time of day, e.g. 2026-12-18" };
  return { value: isoDate(parsed.date) };
}

/** A `datetime` field's value: ISO 8601 in the tenant's zone with its offset, `2026-12-18T17:00:00+01:00`. */
export function datetimeValue(raw: string, calendar: TenantCalendar): Coerced {
  const parsed = parseDateText(raw, calendar.dayFirst);
  if ("problem" in parsed) return { error: parsed.problem };
  if (!parsed.time) return { error: "must have a time of day, e.g. 18/12/2026 17:00" };
  const { date, time } = parsed;
  const wall = { ...date, ...time };
  const instant = parsed.offsetMinutes === undefined
    ? instantOf(calendar.timeZone, wall)
    : Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - parsed.offsetMinutes * 60_000;
  return { value: isoLocal(calendar.timeZone, instant) };
}

/**
 * The instant a mapped `date` or `datetime` value names: a datetime is exact; a date is the given
 * time of day on it in the tenant's zone (midnight when none is given).
 */
export function instantOfValue(value: string, calendar: TenantCalendar, timeOfDay?: TimeOfDay): number | undefined {
  const parsed = parseDateText(value, calendar.dayFirst);
  if ("problem" in parsed) return undefined;
  const time = parsed.time ?? timeOfDay ?? { hour: 0, minute: 0, second: 0 };
  const wall = { ...parsed.date, ...time };
  if (parsed.offsetMinutes !== undefined) {
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - parsed.offsetMinutes * 60_000;
  }
  return instantOf(calendar.timeZone, wall);
}

/** `17:00` → a time of day (the schema checks the form). */
export function timeOfDay(text: string): TimeOfDay {
  const [hour, minute] = text.split(":").map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0, second: 0 };
}
