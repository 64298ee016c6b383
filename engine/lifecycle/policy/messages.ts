/**
 * What a refusal says: one sentence for the person in the chat that tells them what to do next,
 * and, for the engineer, what decided and how to change it. No object id reaches the chat.
 */
import type { PolicyDecision, PolicyRule } from "../../language/policy/types";

export interface Refusal {
  /** For the end user (the answer's `message`). */
  userMessage: string;
  /** For the engineer (the answer's `error.message`). */
  detail: string;
  fix: string;
}

/** Who the rule lets ask, in words the requester can act on. */
function whoMayAsk(rule: PolicyRule): string | undefined {
  const kinds = new Set(rule.requesters.map((r) => r.kind));
  if (kinds.has("manager")) return "please ask your manager to request it";
  if (kinds.has("group") || kinds.has("address")) return "please ask your IT service desk to request it";
  if (kinds.has("self")) return "only the account's owner can ask for it";
  return undefined;
}

export function refusalWording(decision: PolicyDecision, rule: PolicyRule, intentName: string): Refusal {
  const target = decision.target?.value;
  const detail = `Requester policy (${decision.rule.source}): ${decision.rule.reason}.`;
  switch (decision.code) {
    case "TARGET_PROTECTED":
      return {
        userMessage: `${target} is a protected account, so it cannot be changed through the helpdesk chat; please contact your IT team directly.`,
        detail: `${target} ${decision.rule.reason.replace(/^the target /, "")}: no webhook may change a protected account.`,
        fix: "Make the change by hand in the Microsoft 365 admin centre, as an administrator, if it is wanted.",
      };
    case "APPROVAL_REQUIRED":
      return {
        userMessage: `This request needs an approval, which cannot be asked for through the chat here; ${whoMayAsk(rule) ?? "please contact your IT service desk"}.`,
        detail: `${detail} Approvals are off in this deployment.`,
        fix: `Have an allowed requester send the request, add a requester entry for "${intentName}" to the policy, or turn approvals on (APPROVAL_SIGNING_KEY, NOTIFICATION_MAILBOX; README: Approvals).`,
      };
    default:
      break;
  }
  if (decision.rule.reason === "the target is not in the tenant") {
    return {
      userMessage: `No account ${target} was found; please check the address and ask again.`,
      detail: `${detail} The target ${target} did not resolve to a user.`,
      fix: "Check the address sent in the intent's target field.",
    };
  }
  const kind = decision.requester.kind;
  if (kind !== "member") {
    const userMessage =
      kind === "unknown"
        ? "Your account could not be found in this organisation, so this request cannot be made from it; please contact your IT service desk."
        : kind === "guest"
          ? "Guest accounts cannot make this request; please ask someone in the organisation to request it."
          : "Your account is disabled, so it cannot make this request; please contact your IT service desk.";
    return { userMessage, detail, fix: `Send the request from a member account, or admit ${kind} requesters in the rule (admit: [${kind}]).` };
  }
  return {
    userMessage: `You cannot ask for this${target ? ` for ${target}` : ""}; ${whoMayAsk(rule) ?? "please contact your IT service desk"}.`,
    detail,
    fix: `Send the request from an allowed requester, or change the rule (${decision.rule.source}).`,
  };
}
