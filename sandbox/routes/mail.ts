/** mailboxSettings (GET/PATCH, needs a mailbox) and sendMail (202, kept in tenant.sentMail). */
import { randomUUID } from "node:crypto";
import { badRequest, graphError, notFound } from "../graph/errors";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import type { AutomaticRepliesSetting, MailboxRecord, SentMail, UserRecord } from "../tenant/types";
import { MAIL_SEND, MAILBOX_SETTINGS_READ, MAILBOX_SETTINGS_WRITE } from "./permissions";

const STATUSES = ["disabled", "alwaysEnabled", "scheduled"];
const AUDIENCES = ["none", "contactsOnly", "all"];

/** Graph's answer for a user without an Exchange Online mailbox. */
export function noMailbox(): GraphResult {
  return graphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
}

/** The addressed user and their mailbox, or Graph's 404 for either missing. */
export function mailboxOf(ctx: RouteContext): { user: UserRecord; mailbox: MailboxRecord } | GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  return user.mailbox ? { user, mailbox: user.mailbox } : noMailbox();
}

function settingsBody(ctx: RouteContext, user: UserRecord, mailbox: MailboxRecord): Record<string, unknown> {
  return {
    "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users('${user.id}')/mailboxSettings`,
    automaticRepliesSetting: { ...mailbox.automaticReplies },
    timeZone: mailbox.timeZone ?? "UTC",
    language: mailbox.language ?? { locale: "en-US", displayName: "English (United States)" },
  };
}

function getSettings(ctx: RouteContext): GraphResult {
  const found = mailboxOf(ctx);
  if ("status" in found) return found;
  return { status: 200, body: settingsBody(ctx, found.user, found.mailbox) };
}

function patchSettings(ctx: RouteContext): GraphResult {
  const found = mailboxOf(ctx);
  if ("status" in found) return found;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const replies = body.automaticRepliesSetting as Partial<AutomaticRepliesSetting> | undefined;
  if (replies !== undefined) {
    if (typeof replies !== "object" || replies === null) return graphError(400, "RequestBodyRead", "Invalid automaticRepliesSetting.");
    if (replies.status !== undefined && !STATUSES.includes(replies.status)) return graphError(400, "RequestBodyRead", `Requested value '${String(replies.status)}' was not found.`);
    if (replies.externalAudience !== undefined && !AUDIENCES.includes(replies.externalAudience)) {
      return graphError(400, "RequestBodyRead", `Requested value '${String(replies.externalAudience)}' was not found.`);
    }
    const next = { ...found.mailbox.automaticReplies, ...replies };
    if (next.status === "scheduled" && (!next.scheduledStartDateTime || !next.scheduledEndDateTime)) {
      return graphError(400, "ErrorInvalidTimeSettings", "A scheduled automatic reply needs scheduledStartDateTime and scheduledEndDateTime.");
    }
    found.mailbox.automaticReplies = next;
  }
  if (typeof body.timeZone === "string") found.mailbox.timeZone = body.timeZone;
  return { status: 200, body: settingsBody(ctx, found.user, found.mailbox) };
}

type Recipients = SentMail["message"]["toRecipients"];

function validRecipients(list: unknown): list is Recipients {
  return list === undefined || (Array.isArray(list) && list.every((r) => typeof r?.emailAddress?.address === "string" && r.emailAddress.address.includes("@")));
}

function sendMail(ctx: RouteContext): GraphResult {
  const found = mailboxOf(ctx);
  if ("status" in found) return found;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  // Action parameter names are case-insensitive in Graph ("message" / "Message").
  const message = (body.message ?? body.Message) as SentMail["message"] | undefined;
  if (typeof message !== "object" || message === null) return badRequest("The 'message' parameter is required.");
  const { toRecipients, ccRecipients, bccRecipients } = message;
  if (![toRecipients, ccRecipients, bccRecipients].every(validRecipients)) return graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
  if ((toRecipients?.length ?? 0) + (ccRecipients?.length ?? 0) + (bccRecipients?.length ?? 0) === 0) {
    return graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  const save = body.saveToSentItems ?? body.SaveToSentItems;
  ctx.env.tenant.sentMail.push({
    id: randomUUID(), from: found.user.id, sentDateTime: new Date(ctx.env.now()).toISOString(), message: structuredClone(message), saveToSentItems: save !== false,
  });
  return { status: 202 };
}

export const MAIL_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/mailboxSettings", permissions: MAILBOX_SETTINGS_READ, handler: getSettings },
  { method: "PATCH", pattern: "/users/:id/mailboxSettings", permissions: MAILBOX_SETTINGS_WRITE, handler: patchSettings },
  { method: "POST", pattern: "/users/:id/sendMail", permissions: MAIL_SEND, handler: sendMail },
];
