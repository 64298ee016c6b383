/** Times told back to the requester: "Friday 18 December at 17:00", with the year when it is not this year's. */
import { MONTHS, WEEKDAYS } from "./parse";
import { wallTimeAt, weekdayOf } from "./zone";

const pad = (n: number) => String(n).padStart(2, "0");

/** In the tenant's zone, on a 24-hour clock; `now` decides whether the year is said. */
export function inWords(instant: number, zone: string, now: number): string {
  const wall = wallTimeAt(zone, instant);
  const weekday = WEEKDAYS[weekdayOf(wall.year, wall.month, wall.day)];
  const year = wallTimeAt(zone, now).year === wall.year ? "" : ` ${wall.year}`;
  return `${weekday} ${wall.day} ${MONTHS[wall.month - 1]}${year} at ${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** For the technician: always with the year and the zone's name. */
export function inFullWords(instant: number, zone: string): string {
  const wall = wallTimeAt(zone, instant);
  const weekday = WEEKDAYS[weekdayOf(wall.year, wall.month, wall.day)];
  return `${weekday} ${wall.day} ${MONTHS[wall.month - 1]} ${wall.year} at ${pad(wall.hour)}:${pad(wall.minute)} (${zone})`;
}
