/**
 * Approvals for a host: the approvals table, the signing key (APPROVAL_SIGNING_KEY, from the app
 * settings or Key Vault, read per use so a rotation is picked up), the notification mailbox the
 * approvers' mails come from, and the public address the links start with. Without a key or a
 * mailbox, approvals are off: a run requester policy sends for approval is refused instead.
 */
import type { GraphClient } from "../../clients/graph/types";
import type { ApprovalDeps } from "../../lifecycle/approval/deps";
import { readApprovalSettings } from "../../lifecycle/approval/settings";
import { APPROVALS_TABLE, TableApprovalStore } from "../../lifecycle/approval/store";
import { ApprovalTokens } from "../../lifecycle/approval/token";
import { openTable } from "../../lifecycle/store/tables";
import type { AppSettings, SecretSettings } from "../config";

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposedApprovals {
  approvals?: ApprovalDeps;
  /** One line for the start banner. */
  describe: string;
}

export interface ApprovalParts {
  graph: GraphClient;
  secrets: SecretSettings;
  /** The host's own address when it knows it better than the settings do (the local server). */
  publicUrl?: () => string;
}

/** Tokens for the current key, made again only when the key changed. */
function tokensFor(secrets: SecretSettings): () => Promise<ApprovalTokens> {
  let current: { key: string; tokens: ApprovalTokens } | undefined;
  return async () => {
    const key = await secrets.require("APPROVAL_SIGNING_KEY");
    if (current?.key !== key) current = { key, tokens: new ApprovalTokens(key) };
    return current.tokens;
  };
}

export async function composeApprovals(env: Env, settings: AppSettings, parts: ApprovalParts): Promise<ComposedApprovals> {
  const configured = readApprovalSettings(env);
  const key = await parts.secrets.get("APPROVAL_SIGNING_KEY");
  const baseUrl = parts.publicUrl ?? (configured.baseUrl ? () => configured.baseUrl as string : undefined);
  const missing = [key ? "" : "APPROVAL_SIGNING_KEY", settings.notificationMailbox ? "" : "NOTIFICATION_MAILBOX", baseUrl ? "" : "APPROVAL_BASE_URL (or WEBSITE_HOSTNAME)"].filter(Boolean);
  if (missing.length > 0) return { describe: `approvals: off (set ${missing.join(", ")}); runs that need one are refused` };
  const store = new TableApprovalStore(await openTable(settings.storage, APPROVALS_TABLE));
  return {
    approvals: {
      store, graph: parts.graph, tokens: tokensFor(parts.secrets), mailbox: settings.notificationMailbox as string,
      lifetimeMs: configured.lifetimeMs, baseUrl: baseUrl as () => string,
    },
    describe: `approvals: mailed from ${settings.notificationMailbox}, expire after ${configured.lifetimeMs / 3_600_000} h`,
  };
}
