/**
 * Wall-clock time in an IANA time zone, from the runtime's own time-zone data (Intl): an instant's
 * local date and time, and the instant a local date and time names. Daylight-saving changes are
 * resolved the way RFC 5545 and Temporal's "compatible" mode do: a time that happens twice (clocks
 * go back) is the earlier one; a time that never happens (clocks go forward) is moved forward by
 * the length of the gap.
 */
import { IntentError } from "../../core/errors";

/** A local calendar date and time of day; months and days count from 1. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** True for a time-zone name the runtime knows (`Europe/London`, `America/New_York`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  // Every runtime knows UTC (ECMA-402 requires it); the first Intl formatter a process makes loads the
  // time-zone data (some 40 ms), which a start with the default zone need not pay before it answers.
  if (zone === "UTC") return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a zone the runtime does not know, naming the setting it came from. */
export function requireTimeZone(zone: string, setting: string): string {
  if (isTimeZone(zone)) return zone;
  throw new IntentError("CONFIG_MISSING", `The setting ${setting} must be an IANA time-zone name such as Europe/London, not "${zone}".`, {
    fix: `Set ${setting} to the tenant's time zone (an IANA name, e.g. Europe/London or America/New_York).`,
  });
}

export function wallTimeAt(zone: string, instant: number): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

function asUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (whole seconds). */
export function offsetAt(zone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return asUtc(wallTimeAt(zone, whole)) - whole;
}

const DAY_MS = 86_400_000;

/** The instant a local date and time names in the zone (see the file comment for DST changes). */
export function instantOf(zone: string, wall: WallTime): number {
  const local = asUtc(wall);
  // The offsets a day either side hold on each side of any change near this time.
  const before = offsetAt(zone, local - DAY_MS);
  const after = offsetAt(zone, local + DAY_MS);
  const candidates = [local - before, local - after].filter((instant) => instant + offsetAt(zone, instant) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: read the wall time with the offset in force before the change, which lands after it.
  return local - before;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

export function isoDate(wall: Pick<WallTime, "year" | "month" | "day">): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** ISO 8601 with the zone's offset at that instant: `2026-12-18T17:00:00+01:00`. */
export function isoLocal(zone: string, instant: number): string {
  const wall = wallTimeAt(zone, instant);
  const offsetMinutes = Math.round(offsetAt(zone, instant) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${isoDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday, for a calendar date (no zone needed). */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
