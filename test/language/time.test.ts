/**
 * Dates as Thread's AI writes them, read in the tenant's calendar: the forms accepted, the ones
 * refused (relative dates, impossible dates, the wrong day/month order), and wall-clock arithmetic
 * across daylight-saving changes in both directions.
 */
import { describe, expect, it } from "vitest";
import {
  addDuration, calendarFrom, dateValue, datetimeValue, inWords, instantOf, instantOfValue, parseDuration, type TenantCalendar,
} from "../../engine/language/time";

const london: TenantCalendar = { timeZone: "Europe/London", dayFirst: true };
const newYork: TenantCalendar = { timeZone: "America/New_York", dayFirst: false };
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("date and datetime fields", () => {
  it.each([
    ["2026-12-18", "2026-12-18"],
    ["18/12/2026", "2026-12-18"],
    ["18.12.2026", "2026-12-18"],
    ["18-12-2026", "2026-12-18"],
    ["Friday 18 December 2026", "2026-12-18"],
    ["Fri, 18th of Dec 2026", "2026-12-18"],
    ["December 18, 2026", "2026-12-18"],
    ["2026-12-18T00:00:00Z", "2026-12-18"],
  ])("reads the date %j as %s (day-first)", (text, value) => {
    expect(dateValue(text, london)).toEqual({ value });
  });

  it.each([
    ["18/12/2026 17:00", "2026-12-18T17:00:00+00:00"],
    ["18/12/2026 5pm", "2026-12-18T17:00:00+00:00"],
    ["Friday 18 December 2026 at 5:30 PM", "2026-12-18T17:30:00+00:00"],
    ["2026-12-18T17:00", "2026-12-18T17:00:00+00:00"],
    ["2026-06-18 17:00", "2026-06-18T17:00:00+01:00"],
    ["2026-06-18T17:00:00+02:00", "2026-06-18T16:00:00+01:00"],
    ["2026-12-18T17:00:00.000Z", "2026-12-18T17:00:00+00:00"],
  ])("reads the datetime %j as %s in Europe/London", (text, value) => {
    expect(datetimeValue(text, london)).toEqual({ value });
  });

  it("reads numeric dates in the configured order, and refuses what that order makes impossible", () => {
    expect(dateValue("12/18/2026", newYork)).toEqual({ value: "2026-12-18" });
    expect(dateValue("05/06/2026", newYork)).toEqual({ value: "2026-05-06" });
    expect(dateValue("05/06/2026", london)).toEqual({ value: "2026-06-05" });
    expect(dateValue("12/18/2026", london)).toEqual({ error: "is not a real date (read as day/month/year)" });
    expect(dateValue("18/12/2026", newYork)).toEqual({ error: "is not a real date (read as month/day/year)" });
  });

  it.each(["Friday 5pm", "friday", "tomorrow", "next Friday", "Fri 17:00", "in 3 days", "end of next week", "today at noon"])(
    "refuses the relative date %j with a sentence that says why, rather than guessing",
    (text) => {
      expect(datetimeValue(text, london)).toEqual({ error: 'must be a calendar date such as 2026-12-18 or 18/12/2026 17:00, not a relative one like "Friday 5pm" or "tomorrow"' });
    },
  );

  it("refuses impossible dates and times, a weekday that contradicts the date, and text that is no date", () => {
    expect(dateValue("31/02/2026", london)).toEqual({ error: "is not a real date (read as day/month/year)" });
    expect(dateValue("2026-02-29", london)).toEqual({ error: "is not a real date" });
    expect(dateValue("2028-02-29", london)).toEqual({ value: "2028-02-29" });
    expect(datetimeValue("18/12/2026 24:00", london)).toEqual({ error: "has no such time of day" });
    expect(datetimeValue("18/12/2026 13pm", london)).toEqual({ error: "has an hour that does not fit am/pm (1 to 12)" });
    expect(dateValue("Thursday 18 December 2026", london)).toEqual({ error: "names a Thursday, but 18 December 2026 is a Friday" });
    expect(dateValue("18/12/26", london)).toEqual({ error: "must be a date such as 2026-12-18 or 18/12/2026 17:00" });
    expect(dateValue("<script>", london)).toEqual({ error: "must be a date such as 2026-12-18 or 18/12/2026 17:00" });
  });

  it("keeps a date a date and a datetime a datetime", () => {
    expect(dateValue("18/12/2026 17:00", london)).toEqual({ error: "must be a date without a time of day, e.g. 2026-12-18" });
    expect(datetimeValue("18/12/2026", london)).toEqual({ error: "must have a time of day, e.g. 18/12/2026 17:00" });
  });
});

describe("wall-clock time across daylight-saving changes", () => {
  it("reads a local time in a zone with the offset in force on that day", () => {
    expect(iso(instantOfValue("2026-11-06", london, { hour: 17, minute: 0, second: 0 }))).toBe("2026-11-06T17:00:00.000Z");
    expect(iso(instantOfValue("2026-10-23", london, { hour: 17, minute: 0, second: 0 }))).toBe("2026-10-23T16:00:00.000Z");
  });

  it("moves a time the clocks skip forward by the gap, and takes the first of a time that happens twice", () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(iso(instantOf("America/New_York", { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }))).toBe("2026-03-08T07:30:00.000Z");
    // New York, 1 November 2026: 01:30 happens in EDT, then again in EST.
    expect(iso(instantOf("America/New_York", { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }))).toBe("2026-11-01T05:30:00.000Z");
    expect(datetimeValue("2026-03-29 01:30", london)).toEqual({ value: "2026-03-29T02:30:00+01:00" });
  });

  it("adds days on the wall clock (the same time of day across a change) and hours as elapsed time", () => {
    const before = Date.parse("2026-10-20T16:00:00Z"); // 17:00 BST
    expect(iso(addDuration(before, parseDuration("P30D")!, "Europe/London"))).toBe("2026-11-19T17:00:00.000Z"); // 17:00 GMT
    expect(iso(addDuration(before, parseDuration("PT720H")!, "Europe/London"))).toBe("2026-11-19T16:00:00.000Z");
    expect(iso(addDuration(Date.parse("2026-03-28T12:00:00Z"), parseDuration("P1D")!, "Europe/London"))).toBe("2026-03-29T11:00:00.000Z");
  });

  it("adds months keeping the day, or the month's last day when it is shorter", () => {
    expect(iso(addDuration(Date.parse("2026-01-31T09:00:00Z"), parseDuration("P1M")!, "UTC"))).toBe("2026-02-28T09:00:00.000Z");
    expect(iso(addDuration(Date.parse("2026-01-31T09:00:00Z"), parseDuration("P1Y1M1W1DT1H1M1S")!, "UTC"))).toBe("2027-03-08T10:01:01.000Z");
  });

  it("parses only whole-number ISO 8601 durations", () => {
    expect(parseDuration("P30D")).toMatchObject({ days: 30 });
    expect(parseDuration("PT4H")).toMatchObject({ hours: 4 });
    for (const bad of ["P", "PT", "P1.5D", "30D", "P1H", "-P1D"]) expect(parseDuration(bad)).toBeUndefined();
  });
});

describe("times in the requester's words", () => {
  const now = Date.parse("2026-11-23T09:00:00Z");
  it("says weekday, day, month and a 24-hour time in the tenant's zone, and the year only when it is not this one", () => {
    expect(inWords(Date.parse("2026-12-18T17:00:00Z"), "Europe/London", now)).toBe("Friday 18 December at 17:00");
    expect(inWords(Date.parse("2027-01-08T17:00:00Z"), "Europe/London", now)).toBe("Friday 8 January 2027 at 17:00");
    expect(inWords(Date.parse("2026-12-18T17:00:00Z"), "Asia/Tokyo", now)).toBe("Saturday 19 December at 02:00");
  });
});

describe("the tenant calendar settings", () => {
  it("defaults to UTC and day-first, and refuses a zone or an order it cannot use, naming the setting", () => {
    expect(calendarFrom({})).toEqual({ timeZone: "UTC", dayFirst: true });
    expect(calendarFrom({ TENANT_TIME_ZONE: "America/Chicago", TENANT_DATE_ORDER: "mdy" })).toEqual({ timeZone: "America/Chicago", dayFirst: false });
    expect(() => calendarFrom({ TENANT_TIME_ZONE: "Mars/Olympus" })).toThrow(/TENANT_TIME_ZONE must be an IANA time-zone name/);
    expect(() => calendarFrom({ TENANT_DATE_ORDER: "YMD" })).toThrow(/TENANT_DATE_ORDER must be DMY or MDY/);
  });
});
