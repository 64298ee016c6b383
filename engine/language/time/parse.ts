/**
 * Reading the dates people and Thread's AI write: ISO 8601 (`2026-12-18`, `2026-12-18T17:00`,
 * `2026-12-18T17:00:00Z`), numeric dates in the deployment's day/month order (`18/12/2026 17:00`,
 * `18.12.2026`), and dates with the month's name (`Friday 18 December 2026 at 5pm`,
 * `December 18, 2026`). The year is always required. Relative dates ("Friday 5pm", "tomorrow") are
 * refused rather than guessed: what "Friday" means depends on when the message was read.
 */
import { daysInMonth, weekdayOf } from "./zone";

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

export interface ParsedDateText {
  date: CalendarDate;
  time?: TimeOfDay;
  /** Minutes ahead of UTC when the text carried an offset (`Z`, `+01:00`); absent = local time. */
  offsetMinutes?: number;
}

/** Why a text is not a date, as the end of a sentence that starts with the field's label. */
export type DateProblem = { problem: string };

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

const EXAMPLES = "such as 2026-12-18 or 18/12/2026 17:00";

function monthNamed(word: string): number | undefined {
  const w = word.replace(/\.$/, "");
  if (w === "sept") return 9;
  const index = MONTHS.findIndex((name) => name.toLowerCase() === w || (w.length === 3 && name.toLowerCase().startsWith(w)));
  return index < 0 ? undefined : index + 1;
}

function weekdayNamed(word: string): number | undefined {
  const w = word.replace(/[.,]$/, "");
  const index = WEEKDAYS.findIndex((name) => name.toLowerCase() === w || (w.length >= 3 && name.toLowerCase().startsWith(w) && w.length <= 4));
  return index < 0 ? undefined : index;
}

const RELATIVE = /\b(today|tonight|tomorrow|yesterday|next|this|last|coming|week|weekend|month|eod|cob|noon|midday|midnight|in \d+)\b/;

function relative(text: string): boolean {
  if (RELATIVE.test(text)) return true;
  // A weekday with no year anywhere: "Friday 5pm", "fri 17:00".
  return !/\d{4}/.test(text) && text.split(/[\s,]+/).some((word) => weekdayNamed(word) !== undefined);
}

const TIME = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])?\.?(?:m\.?)?$/;

function parseTime(text: string): TimeOfDay | DateProblem {
  const match = TIME.exec(text);
  if (!match || (match[2] === undefined && match[4] === undefined)) return { problem: `has a time of day that cannot be read; write it as 17:00 or 5pm` };
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const second = Number(match[3] ?? 0);
  const half = match[4];
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return { problem: "has an hour that does not fit am/pm (1 to 12)" };
    hour = (hour % 12) + (half === "p" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return { problem: "has no such time of day" };
  return { hour, minute, second };
}

function checkedDate(year: number, month: number, day: number, order: string): CalendarDate | DateProblem {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { problem: `is not a real date${order}` };
  return { year, month, day };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function offsetMinutes(text: string): number {
  if (text === "z") return 0;
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

function parseIso(match: RegExpExecArray): ParsedDateText | DateProblem {
  const date = checkedDate(Number(match[1]), Number(match[2]), Number(match[3]), "");
  if ("problem" in date) return date;
  if (match[4] === undefined) return { date };
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return { problem: "has no such time of day" };
  const offset = match[7] === undefined ? undefined : offsetMinutes(match[7]);
  if (offset !== undefined && Math.abs(offset) > 18 * 60) return { problem: "has a UTC offset beyond ±18:00" };
  return { date, time: { hour, minute, second }, ...(offset === undefined ? {} : { offsetMinutes: offset }) };
}

/** The date part alone: numeric in the given order, or with the month's name either side of the day. */
function parseDatePart(text: string, dayFirst: boolean): CalendarDate | DateProblem | undefined {
  const numeric = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  if (numeric) {
    const [first, second, year] = [Number(numeric[1]), Number(numeric[3]), Number(numeric[4])];
    return dayFirst ? checkedDate(year, second, first, " (read as day/month/year)") : checkedDate(year, first, second, " (read as month/day/year)");
  }
  const dayMonth = /^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+\.?),?\s+(\d{4})$/.exec(text);
  const monthDay = /^([a-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(text);
  const [dayText, monthText, yearText] = dayMonth ? [dayMonth[1], dayMonth[2], dayMonth[3]] : monthDay ? [monthDay[2], monthDay[1], monthDay[3]] : [];
  if (dayText === undefined || monthText === undefined || yearText === undefined) return undefined;
  const month = monthNamed(monthText);
  if (month === undefined) return undefined;
  return checkedDate(Number(yearText), month, Number(dayText), "");
}

const TRAILING_TIME = /(?:,?\s+(?:at\s+)?)(\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?m\.?)?)$/;

/**
 * Reads a date, with or without a time of day. `dayFirst` is the deployment's order for numeric
 * dates (18/12/2026 day-first, 12/18/2026 month-first). Never echoes the text in a problem.
 */
export function parseDateText(raw: string, dayFirst: boolean): ParsedDateText | DateProblem {
  const text = raw.trim().toLowerCase().replace(/\s+/g, " ").replace(/\.$/, "");
  const iso = ISO.exec(text);
  if (iso) return parseIso(iso);
  let rest = text;
  let time: TimeOfDay | undefined;
  const timed = TRAILING_TIME.exec(rest);
  if (timed && /[:ap]/.test(timed[1]!)) {
    const parsed = parseTime(timed[1]!.replace(/\s+/g, ""));
    if ("problem" in parsed) return parsed;
    time = parsed;
    rest = rest.slice(0, timed.index).trim();
  }
  const words = rest.split(" ");
  const weekday = words.length > 1 ? weekdayNamed(words[0]!) : undefined;
  if (weekday !== undefined) rest = words.slice(1).join(" ").replace(/^,\s*/, "");
  const date = parseDatePart(rest, dayFirst);
  if (date === undefined) {
    return { problem: relative(text) ? `must be a calendar date ${EXAMPLES}, not a relative one like "Friday 5pm" or "tomorrow"` : `must be a date ${EXAMPLES}` };
  }
  if ("problem" in date) return date;
  const actual = weekdayOf(date.year, date.month, date.day);
  if (weekday !== undefined && weekday !== actual) {
    return { problem: `names a ${WEEKDAYS[weekday]}, but ${date.day} ${MONTHS[date.month - 1]} ${date.year} is a ${WEEKDAYS[actual]}` };
  }
  return time ? { date, time } : { date };
}
