/**
 * The seed's call pattern for each of its eight intents (reference: seed-thread-intent-engine.md
 * §2 and Appendix B), replayed one call at a time through our own clients, so "ours vs the seed"
 * compares call patterns, not HTTP stacks. Only the calls are reproduced, none of its code. The
 * workloads are happy paths that change something, so the seed's write always follows its pre-read
 * (its "already a member" exit is not taken: the sandbox ignores its members `$filter`).
 */
import { randomUUID } from "node:crypto";
import type { AutomationClient } from "../engine/clients/arm/types";
import type { GraphClient, GraphRequest, GraphResponse } from "../engine/clients/graph/types";
import type { Clock } from "../engine/runtime/types";

export interface SeedContext {
  graph: GraphClient;
  automation: AutomationClient;
  clock: Clock;
  /** Thread's intent_fields as sent. */
  fields: Record<string, unknown>;
}

type Sequence = (ctx: SeedContext) => Promise<void>;

const SEED_POLL_MS = 5_000;
const SEED_RUNBOOK_TIMEOUT_MS = 120_000;

function field(ctx: SeedContext, label: string, fallback = ""): string {
  const want = label.toLowerCase().replace(/\s+/g, "");
  const key = Object.keys(ctx.fields).find((name) => name.toLowerCase().replace(/\s+/g, "") === want);
  const value = key === undefined ? undefined : ctx.fields[key];
  return value === undefined || value === null ? fallback : String(value).trim();
}

/** The seed's yes/no reading, missing-field bug included (a missing field is "" and so false). */
function yes(ctx: SeedContext, label: string): boolean {
  return ["yes", "true", "1", "y"].includes(field(ctx, label).toLowerCase());
}

const body = (answer: GraphResponse): Record<string, any> => (answer.body ?? {}) as Record<string, any>;
const send = (ctx: SeedContext, request: GraphRequest) => ctx.graph.request(request);

async function resolveUser(ctx: SeedContext, label = "User Email"): Promise<string> {
  const upn = field(ctx, label);
  const answer = await send(ctx, { method: "GET", path: `/users/${encodeURIComponent(upn)}`, query: { $select: "id,displayName,userPrincipalName" } });
  return String(body(answer).id ?? "");
}

async function resolveGroup(ctx: SeedContext, name: string): Promise<string> {
  const answer = await send(ctx, {
    method: "GET", path: "/groups",
    query: { $filter: `displayName eq '${name.replace(/'/g, "''")}'`, $select: "id,displayName,groupTypes,mailEnabled,securityEnabled", $top: "1" },
  });
  return String((body(answer).value as Array<{ id: string }> | undefined)?.[0]?.id ?? "");
}

/** The seed's membership pre-read; its answer only decides the happy path's early exit. */
async function membershipCheck(ctx: SeedContext, groupId: string, userId: string): Promise<void> {
  await send(ctx, { method: "GET", path: `/groups/${groupId}/members`, query: { $filter: `id eq '${userId}'`, $select: "id" } });
}

async function skuIdFor(ctx: SeedContext, wanted: string, select: string): Promise<string> {
  const answer = await send(ctx, { method: "GET", path: "/subscribedSkus", query: { $select: select } });
  const skus = (body(answer).value as Array<{ skuId: string; skuPartNumber: string }> | undefined) ?? [];
  const lower = wanted.toLowerCase();
  const hit = skus.find((s) => s.skuPartNumber?.toLowerCase() === lower || s.skuId?.toLowerCase() === lower)
    ?? skus.find((s) => s.skuPartNumber?.toLowerCase().includes(lower));
  return hit?.skuId ?? "";
}

const assignLicense = (ctx: SeedContext, userId: string, add: string[], remove: string[]) =>
  send(ctx, { method: "POST", path: `/users/${userId}/assignLicense`, body: { addLicenses: add.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: remove } });

/** The seed's runbook trigger: create the job, poll every 5 s for up to 120 s, read the output. */
async function runbook(ctx: SeedContext, name: string, parameters: Record<string, string>): Promise<void> {
  const jobName = randomUUID();
  await ctx.automation.startJob(jobName, name, parameters);
  const until = ctx.clock.now() + SEED_RUNBOOK_TIMEOUT_MS;
  for (;;) {
    await ctx.clock.sleep(SEED_POLL_MS);
    const job = await ctx.automation.getJob(jobName);
    if (["Completed", "Failed", "Stopped", "Suspended"].includes(job.status) || ctx.clock.now() >= until) break;
  }
  await ctx.automation.getJobOutput(jobName);
}

const METHOD_SEGMENTS: Record<string, string> = {
  phoneAuthenticationMethod: "phoneMethods",
  microsoftAuthenticatorAuthenticationMethod: "microsoftAuthenticatorMethods",
  softwareOathAuthenticationMethod: "softwareOathMethods",
  emailAuthenticationMethod: "emailMethods",
  fido2AuthenticationMethod: "fido2Methods",
};

const groupMembership = (remove: boolean): Sequence => async (ctx) => {
  const userId = await resolveUser(ctx);
  const groupId = await resolveGroup(ctx, field(ctx, "Group Name"));
  await membershipCheck(ctx, groupId, userId);
  if (remove) await send(ctx, { method: "DELETE", path: `/groups/${groupId}/members/${userId}/$ref` });
  else await send(ctx, { method: "POST", path: `/groups/${groupId}/members/$ref`, body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` } });
};

const SEQUENCES: Record<string, Sequence> = {
  "password reset": async (ctx) => {
    const userId = await resolveUser(ctx);
    const password = field(ctx, "Temporary Password") || `Seed-${randomUUID()}!`;
    await send(ctx, { method: "PATCH", path: `/users/${userId}`, body: { passwordProfile: { password, forceChangePasswordNextSignIn: yes(ctx, "Force Change on Login") } } });
  },
  "add user to group": groupMembership(false),
  "remove user from group": groupMembership(true),
  "license assignment": async (ctx) => {
    const userId = await resolveUser(ctx);
    const skuId = await skuIdFor(ctx, field(ctx, "License SKU"), "skuId,skuPartNumber,consumedUnits,prepaidUnits");
    if (field(ctx, "Action", "Assign").toLowerCase() === "remove") {
      await assignLicense(ctx, userId, [], [skuId]);
      return;
    }
    await send(ctx, { method: "GET", path: "/subscribedSkus", query: { $select: "skuId,consumedUnits,prepaidUnits" } });
    await assignLicense(ctx, userId, [skuId], []);
  },
  "mfa reset": async (ctx) => {
    const userId = await resolveUser(ctx);
    const answer = await send(ctx, { method: "GET", path: `/users/${userId}/authentication/methods` });
    const wanted = field(ctx, "MFA Method to Reset", "All").toLowerCase();
    for (const method of (body(answer).value as Array<{ id: string; "@odata.type": string }> | undefined) ?? []) {
      const type = method["@odata.type"].replace("#microsoft.graph.", "");
      if (type === "passwordAuthenticationMethod") continue;
      if (wanted !== "all" && !type.toLowerCase().includes(wanted.replace(/\s+/g, ""))) continue;
      const segment = METHOD_SEGMENTS[type];
      // The seed has no endpoint for Windows Hello or TAP: it counts them as errors without a call.
      if (segment) await send(ctx, { method: "DELETE", path: `/users/${userId}/authentication/${segment}/${method.id}` });
    }
  },
  "new user creation": async (ctx) => {
    const upn = field(ctx, "Email");
    const created = await send(ctx, {
      method: "POST", path: "/users",
      body: {
        accountEnabled: true, displayName: field(ctx, "Display Name"), userPrincipalName: upn, mailNickname: upn.split("@")[0],
        passwordProfile: { password: `Seed-${randomUUID()}!`, forceChangePasswordNextSignIn: true },
      },
    });
    const userId = String(body(created).id ?? "");
    const sku = field(ctx, "License SKU");
    if (sku) await assignLicense(ctx, userId, [await skuIdFor(ctx, sku, "skuId,skuPartNumber")], []);
    for (const name of field(ctx, "Group Memberships").split(",").map((g) => g.trim()).filter(Boolean)) {
      const groupId = await resolveGroup(ctx, name);
      await send(ctx, { method: "POST", path: `/groups/${groupId}/members/$ref`, body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` } });
    }
  },
  "user offboarding": async (ctx) => {
    const userId = await resolveUser(ctx);
    await send(ctx, { method: "PATCH", path: `/users/${userId}`, body: { accountEnabled: false } });
    if (yes(ctx, "Revoke Sessions")) await send(ctx, { method: "POST", path: `/users/${userId}/revokeSignInSessions` });
    if (yes(ctx, "Remove Licenses")) {
      const answer = await send(ctx, { method: "GET", path: `/users/${userId}`, query: { $select: "assignedLicenses" } });
      const skus = ((body(answer).assignedLicenses as Array<{ skuId: string }> | undefined) ?? []).map((l) => l.skuId);
      if (skus.length > 0) await assignLicense(ctx, userId, [], skus);
    }
    if (yes(ctx, "Convert to Shared Mailbox")) await runbook(ctx, "Convert-ToSharedMailbox", { UserPrincipalName: field(ctx, "User Email") });
  },
  "shared mailbox permission": async (ctx) => {
    await resolveUser(ctx);
    await runbook(ctx, "Set-SharedMailboxPermission", {
      SharedMailboxEmail: field(ctx, "Shared Mailbox Email"), UserEmail: field(ctx, "User Email"),
      // Our runbook's parameter set spells the types without spaces; the call pattern is what counts.
      PermissionType: field(ctx, "Permission Type", "Full Access").replace(/\s+/g, ""), Action: field(ctx, "Action", "Grant"),
    });
  },
};

/**
 * Exchange intents the seed never had, replayed as the seed did all Exchange work: one runbook
 * job, polled every 5 s, then its output. The most favourable reading of the seed (no user lookup).
 */
const SEED_EXCHANGE_PATTERN: Record<string, Sequence> = {
  "convert to shared mailbox": (ctx) => runbook(ctx, "Convert-ToSharedMailbox", { UserPrincipalName: field(ctx, "Mailbox Email") }),
  "hide from address book": (ctx) =>
    runbook(ctx, "Set-MailboxHiddenFromGal", { UserPrincipalName: field(ctx, "Mailbox Email"), Hidden: field(ctx, "Action", "Hide").toLowerCase() === "unhide" ? "false" : "true" }),
  "set mail forwarding": (ctx) =>
    runbook(ctx, "Set-MailboxForwarding", { UserPrincipalName: field(ctx, "Mailbox Email"), ForwardingAddress: field(ctx, "Forward To"), DeliverToMailboxAndForward: yes(ctx, "Keep a Copy") || field(ctx, "Keep a Copy") === "" ? "true" : "false" }),
  "remove mail forwarding": (ctx) => runbook(ctx, "Set-MailboxForwarding", { UserPrincipalName: field(ctx, "Mailbox Email"), ForwardingAddress: "" }),
};

/**
 * The seed's sequence for an intent (by canonical name); `pattern` when the seed never had the
 * intent and the sequence is its Exchange pattern; undefined for anything else the seed never had.
 */
export function seedSequenceFor(intentName: string): { sequence: Sequence; pattern: boolean } | undefined {
  const name = intentName.trim().toLowerCase().replace(/\s+/g, " ");
  if (SEQUENCES[name]) return { sequence: SEQUENCES[name]!, pattern: false };
  return SEED_EXCHANGE_PATTERN[name] ? { sequence: SEED_EXCHANGE_PATTERN[name]!, pattern: true } : undefined;
}
