/** The approval parts of a pipeline, or CONFIG_MISSING where the deployment has none. */
import { IntentError } from "../../core/errors";
import type { PipelineDeps } from "../types";
import type { ApprovalDeps } from "./deps";

export function approvalsOf(deps: PipelineDeps): ApprovalDeps {
  if (!deps.approvals) {
    throw new IntentError("CONFIG_MISSING", "Approvals are not configured (APPROVAL_SIGNING_KEY, NOTIFICATION_MAILBOX).", {
      fix: "Set APPROVAL_SIGNING_KEY (Key Vault) and NOTIFICATION_MAILBOX.",
    });
  }
  return deps.approvals;
}
