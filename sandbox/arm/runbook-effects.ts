import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultManifestPath, loadRunbookManifest, type RunbookManifest } from "../../engine/contracts/runbook-manifest";
import type { RunbookResult } from "../../engine/contracts/runbook-result";
import {
  cancelOrganizedMeetings,
  isExchangeManaged,
  onMailbox,
  removeAccessElsewhere,
  removeAllMobileDevices,
  removeGroupMember,
  setDeliverToMailboxAndForward,
  setForwardingAddress,
  setHiddenFromAddressLists,
  setMailboxRight,
  setMailboxType,
  type Change,
  type MailboxRight,
} from "../exchange/changes";
import { notFoundError } from "../exchange/errors";
import { resolveUser } from "../exchange/recipients";
import type { MailboxRecord, TenantState } from "../tenant/types";

/**
 * What each runbook in runbooks/ does to the sandbox tenant, read from runbooks/runbook-effects.json
 * beside the manifest: the data names the recipient, the changes (the ones the Exchange admin API
 * makes too, sandbox/exchange/changes.ts) and the words of the result line. A new runbook that
 * changes what these changes cover needs no code here. Parameters arrive checked against the
 * manifest, its defaults applied.
 */
export type RunbookEffect = (tenant: TenantState, parameters: Readonly<Record<string, string>>, now: number) => RunbookResult;

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface EffectCase {
  when?: Record<string, string>;
  mailbox?: string;
  user?: string;
  change: {
    mailboxType?: MailboxRecord["type"];
    hiddenFromAddressLists?: Value;
    forwardingAddress?: Value;
    deliverToMailboxAndForward?: Value;
    mailboxRight?: { right: string; trustee: string; grant: Value; autoMapping?: Value };
    /** Every device partnership of the mailbox goes. */
    removeMobileDevices?: boolean;
    /** The meetings the mailbox organised from today, for this many days, are cancelled. */
    cancelMeetings?: Value;
    leaveExchangeGroups?: boolean;
    /** The user's rights on every other mailbox go (Full Access, Send As, Send on Behalf, Calendar). */
    removeAccessElsewhere?: boolean;
  };
  reasons: { changed: string; ok: string };
  detail?: Record<string, Value>;
}

interface EffectsFile {
  effects: Record<string, { cases: EffectCase[] }>;
}

const RIGHTS: Readonly<Record<string, MailboxRight>> = { fullaccess: "fullAccess", sendas: "sendAs", sendonbehalf: "sendOnBehalf" };

/** `{Name}` → the parameter's value, in its ValidateSet's spelling; a whole `{Name}` of a true/false set is a boolean. */
function fill(value: Value, values: Readonly<Record<string, Value>>): Value {
  if (typeof value === "string") {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && Object.hasOwn(values, whole[1]!)) return values[whole[1]!]!;
    return value.replace(/\{(\w+)\}/g, (text, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : text));
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, values));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, values)]));
  return value;
}

/** The parameters as the effect reads them: a ValidateSet value in the set's spelling, true/false sets as booleans. */
function parameterValues(manifest: RunbookManifest, runbook: string, parameters: Readonly<Record<string, string>>): Record<string, Value> {
  const values: Record<string, Value> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const allowed = manifest[runbook]?.parameters[name]?.enum;
    const spelt = allowed?.find((option) => option.toLowerCase() === value.toLowerCase()) ?? value;
    const boolean = allowed && allowed.length === 2 && allowed.every((option) => option === "true" || option === "false");
    values[name] = boolean ? spelt === "true" : spelt;
  }
  return values;
}

function holds(when: Record<string, string> | undefined, parameters: Readonly<Record<string, string>>): boolean {
  return Object.entries(when ?? {}).every(([name, value]) => (parameters[name] ?? "").trim().toLowerCase() === value.toLowerCase());
}

const DAY_MS = 86_400_000;

function changes(tenant: TenantState, mailbox: MailboxRecord, change: EffectCase["change"], now: number, extra: Record<string, Value>): Change {
  const results: Change[] = [];
  if (change.removeMobileDevices) {
    const { change: devices, removed } = removeAllMobileDevices(mailbox);
    results.push(devices);
    Object.assign(extra, { removed, removedCount: removed.length });
  }
  // Like Remove-CalendarEvents: the window starts today (UTC midnight on the sandbox clock). It
  // says nothing of what it cancelled, so the runbook reports changed whenever it ran.
  if (change.cancelMeetings !== undefined) {
    const cancelled = cancelOrganizedMeetings(mailbox, now - (now % DAY_MS), Number(change.cancelMeetings));
    results.push(typeof cancelled === "object" ? cancelled : "changed");
  }
  if (change.mailboxType !== undefined) results.push(setMailboxType(mailbox, change.mailboxType));
  if (change.hiddenFromAddressLists !== undefined) results.push(setHiddenFromAddressLists(mailbox, change.hiddenFromAddressLists === true));
  if (change.forwardingAddress !== undefined) results.push(setForwardingAddress(mailbox, typeof change.forwardingAddress === "string" ? change.forwardingAddress : null));
  if (change.deliverToMailboxAndForward !== undefined) results.push(setDeliverToMailboxAndForward(mailbox, change.deliverToMailboxAndForward === true));
  if (change.mailboxRight) {
    const right = RIGHTS[change.mailboxRight.right.toLowerCase()];
    if (right) results.push(setMailboxRight(tenant, mailbox, right, change.mailboxRight.trustee, change.mailboxRight.grant === true, change.mailboxRight.autoMapping !== false));
  }
  const error = results.find((result) => typeof result === "object");
  if (error) return error;
  return results.includes("changed") ? "changed" : "unchanged";
}

/** Like the PowerShell's Get-Recipient filter: every Exchange-managed group the user is in; synced ones are reported. */
function leaveExchangeGroups(tenant: TenantState, userId: string): { removed: string[]; skipped: string[] } {
  const removed: string[] = [];
  const skipped: string[] = [];
  for (const group of tenant.groups.filter((g) => isExchangeManaged(g) && g.members.includes(userId))) {
    if (group.onPremisesSyncEnabled) skipped.push(`${group.displayName} (synced from on-premises)`);
    else if (removeGroupMember(tenant, group.id, userId) === "changed") removed.push(group.displayName);
  }
  return { removed, skipped };
}

function effectOf(runbook: string, cases: readonly EffectCase[], manifest: RunbookManifest): RunbookEffect {
  return (tenant, parameters, now) => {
    const chosen = cases.find((c) => holds(c.when, parameters));
    if (!chosen) return { status: "failed", reason: `The sandbox's effect of ${runbook} has no case for these parameters.` };
    const values = parameterValues(manifest, runbook, parameters);
    const detail = (extra: Record<string, Value>): Record<string, Value> => fill(chosen.detail ?? {}, { ...values, ...extra }) as Record<string, Value>;
    const reason = (status: "changed" | "ok", extra: Record<string, Value>): string => String(fill(chosen.reasons[status], { ...values, ...extra }));
    let change: Change;
    let extra: Record<string, Value> = {};
    if (chosen.user !== undefined) {
      const identity = String(fill(chosen.user, values));
      const user = resolveUser(tenant, identity);
      if (!user) return { status: "failed", reason: notFoundError(identity).text, ...detail({ removed: [], skipped: [] }) };
      const left = chosen.change.leaveExchangeGroups ? leaveExchangeGroups(tenant, user.id) : { removed: [], skipped: [] };
      if (chosen.change.removeAccessElsewhere) left.removed.push(...removeAccessElsewhere(tenant, user.id));
      extra = { removed: left.removed, skipped: left.skipped, removedCount: left.removed.length };
      change = left.removed.length > 0 ? "changed" : "unchanged";
    } else {
      const filled = fill(chosen.change as Value, values) as EffectCase["change"];
      change = onMailbox(tenant, String(fill(chosen.mailbox ?? "", values)), (mailbox) => changes(tenant, mailbox, filled, now, extra));
    }
    if (typeof change === "object") return { status: "failed", reason: change.error.text, ...detail(extra) };
    const status = change === "changed" ? "changed" : "ok";
    return { status, reason: reason(status, extra), ...detail(extra) };
  };
}

/** The effects a file of runbook-effects.json's shape declares, for the runbooks of this manifest. */
export function effectsFrom(data: unknown, manifest: RunbookManifest): Record<string, RunbookEffect> {
  return Object.fromEntries(Object.entries((data as EffectsFile).effects).map(([runbook, effect]) => [runbook, effectOf(runbook, effect.cases, manifest)]));
}

/** runbooks/runbook-effects.json, beside the manifest. */
function loadEffects(): Record<string, RunbookEffect> {
  const file = join(defaultManifestPath(), "..", "runbook-effects.json");
  return effectsFrom(JSON.parse(readFileSync(file, "utf8")), loadRunbookManifest());
}

/** One entry per runbook in runbooks/runbooks.json (a test keeps the two in step). */
export const RUNBOOK_EFFECTS: Readonly<Record<string, RunbookEffect>> = loadEffects();
