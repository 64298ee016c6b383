/**
 * Inbox rules (Graph messageRule): list and delete under /users/{id}/mailFolders/inbox/messageRules.
 * Graph exposes rules only on the Inbox; reading needs MailboxSettings.Read, deleting
 * MailboxSettings.ReadWrite, and a user without a mailbox answers as mailboxSettings does.
 */
import { graphError } from "../graph/errors";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import type { InboxRuleRecord } from "../tenant/types";
import { mailboxOf } from "./mail";
import { MAILBOX_SETTINGS_READ, MAILBOX_SETTINGS_WRITE } from "./permissions";

function ruleJson(rule: InboxRuleRecord): Record<string, unknown> {
  return {
    id: rule.id,
    displayName: rule.displayName,
    sequence: rule.sequence,
    isEnabled: rule.isEnabled,
    hasError: rule.hasError ?? false,
    isReadOnly: rule.isReadOnly ?? false,
    conditions: rule.conditions ?? {},
    actions: rule.actions ?? {},
    ...(rule.exceptions ? { exceptions: rule.exceptions } : {}),
  };
}

function listRules(ctx: RouteContext): GraphResult {
  const found = mailboxOf(ctx);
  if ("status" in found) return found;
  const rules = [...(found.mailbox.inboxRules ?? [])].sort((a, b) => a.sequence - b.sequence);
  return {
    status: 200,
    body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users('${found.user.id}')/mailFolders('inbox')/messageRules`, value: rules.map(ruleJson) },
  };
}

function deleteRule(ctx: RouteContext): GraphResult {
  const found = mailboxOf(ctx);
  if ("status" in found) return found;
  const rules = found.mailbox.inboxRules ?? [];
  const wanted = ctx.params.ruleId as string;
  const rule = rules.find((candidate) => candidate.id === wanted);
  // Exchange's store answers for a rule id it does not hold (already deleted, or never there).
  if (!rule) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  found.mailbox.inboxRules = rules.filter((candidate) => candidate !== rule);
  return { status: 204 };
}

export const INBOX_RULE_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/mailFolders/inbox/messageRules", permissions: MAILBOX_SETTINGS_READ, handler: listRules },
  { method: "DELETE", pattern: "/users/:id/mailFolders/inbox/messageRules/:ruleId", permissions: MAILBOX_SETTINGS_WRITE, handler: deleteRule },
];
