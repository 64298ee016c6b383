/**
 * Remove-CalendarEvents (cancel the meetings a mailbox organised, from today or a start date, for
 * a number of days) and Remove-MailboxFolderPermission on a mailbox's Calendar folder.
 */
import { cancelOrganizedMeetings, onMailbox, removeCalendarPermission } from "../changes";
import { notFoundError, parameterValueError } from "../errors";
import { done, type CmdletHandler } from "./types";

/** Exchange's limit on QueryWindowInDays. */
const MAX_WINDOW_DAYS = 1825;

export const removeCalendarEvents: CmdletHandler = (tenant, p, context) => {
  const days = Number(p.QueryWindowInDays);
  if (days < 1 || days > MAX_WINDOW_DAYS) {
    return { error: parameterValueError("Remove-CalendarEvents", "QueryWindowInDays", `the value must be between 1 and ${MAX_WINDOW_DAYS}.`) };
  }
  const start = typeof p.QueryStartDate === "string" ? Date.parse(p.QueryStartDate) : startOfDay(context.now());
  if (Number.isNaN(start)) return { error: parameterValueError("Remove-CalendarEvents", "QueryStartDate", `'${String(p.QueryStartDate)}' is not a date.`) };
  // Without CancelOrganizedMeetings nothing is cancelled. Exchange writes no output either way, so
  // the answer cannot say whether there was anything to cancel.
  const change = onMailbox(tenant, String(p.Identity), (mailbox) => {
    if (p.CancelOrganizedMeetings === true) cancelOrganizedMeetings(mailbox, start, days);
    return "unchanged";
  });
  return typeof change === "object" ? change : done();
};

function startOfDay(ms: number): number {
  return ms - (ms % 86_400_000);
}

/** `mailbox:\Calendar`: the folder this sandbox keeps permissions for. */
const CALENDAR_FOLDER = /^(.+?):\\Calendar$/i;

export const removeMailboxFolderPermission: CmdletHandler = (tenant, p) => {
  const identity = String(p.Identity);
  const folder = CALENDAR_FOLDER.exec(identity);
  if (!folder) return { error: notFoundError(identity) };
  const change = onMailbox(tenant, folder[1]!, (mailbox) => removeCalendarPermission(tenant, mailbox, String(p.User)));
  return typeof change === "object" ? change : done();
};
