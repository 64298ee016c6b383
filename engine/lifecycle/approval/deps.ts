/** What approvals need beyond the pipeline's own parts; built by the composition root. */
import type { GraphClient } from "../../clients/graph/types";
import type { ApprovalStore } from "./store";
import type { ApprovalTokens } from "./token";

export interface ApprovalDeps {
  store: ApprovalStore;
  /** The plan's and the approvers' reads, and the approvers' mails. */
  graph: Pick<GraphClient, "batch" | "request">;
  /** Tokens under the current APPROVAL_SIGNING_KEY, read per use so a rotated key is picked up. */
  tokens(): Promise<ApprovalTokens>;
  /** NOTIFICATION_MAILBOX: approvers' mails are sent from it. */
  mailbox: string;
  /** How long an approval waits before it expires. */
  lifetimeMs: number;
  /** The public origin the links start with (`https://<app>.azurewebsites.net`). */
  baseUrl(): string;
}

/** The page of one approval for one approver: `GET {base}/api/approvals/{id}?t={token}`. */
export function approvalLink(deps: Pick<ApprovalDeps, "baseUrl">, approvalId: string, token: string): string {
  return `${deps.baseUrl()}/api/approvals/${approvalId}?t=${encodeURIComponent(token)}`;
}
