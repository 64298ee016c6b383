/**
 * `GET /api/approvals/{id}?t=…` and its form's `POST`: the approver's page, over the signed link.
 * The link token is checked first (signature, which approval, time), then the approval; a POST
 * must also carry the form token of a page rendered for that link and come from this site. Every
 * outcome is a page that says what happened; none runs anything twice.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { decideApproval } from "../../lifecycle/approval/decide";
import { expireApproval } from "../../lifecycle/approval/expire";
import type { ApprovalRecord, Approver } from "../../lifecycle/approval/types";
import type { PipelineDeps } from "../../lifecycle/types";
import { readLimitedBody } from "../webhook/body";
import { approvalPage, messagePage, type PageAnswer } from "./page";

export interface ApprovalRequest {
  approvalId: string;
  header(name: string): string | null;
  /** The link token from the query (GET); a POST carries its own in the form. */
  token: string;
  body: AsyncIterable<Uint8Array> | null;
}

/** A decision form is a few short fields; anything longer is not ours. */
const MAX_FORM_BYTES = 16 * 1024;

const APPROVAL_ID = /^[0-9a-f]{32}$/;

function linkProblem(problem: "invalid" | "foreign" | "expired"): PageAnswer {
  if (problem === "expired") return messagePage(410, "This link has expired", "Nothing was changed. The requester can ask again if the change is still needed.");
  if (problem === "foreign") return messagePage(403, "This link belongs to another request", "Open the link from the mail about this request.");
  return messagePage(403, "This link is not valid", "The link is incomplete or was changed. Open it again from the approval mail; copy all of it if you paste it.");
}

/** The page for an approval that no longer takes a decision. */
function closedPage(record: ApprovalRecord): PageAnswer {
  const decision = record.decision;
  const when = decision ? new Date(decision.at).toUTCString() : "";
  switch (record.state) {
    case "approved":
      return messagePage(409, "This request was already approved", `${decision?.by.name ?? "An approver"} approved it on ${when}. It runs once; nothing more is needed.`);
    case "denied":
      return messagePage(409, "This request was already denied", `${decision?.by.name ?? "An approver"} denied it on ${when}. Nothing was changed.`);
    case "expired":
      return messagePage(410, "This request has expired", "Nobody decided in time, so nothing was changed. The requester can ask again if the change is still needed.");
    case "superseded":
      return messagePage(409, "This request was replaced", "The tenant changed after this request was approved, so a new approval was asked for. Look for the newer mail.");
    default:
      return messagePage(409, "This request is closed", "It can no longer be decided. Nothing was changed.");
  }
}

function errorPage(error: IntentError): PageAnswer {
  switch (error.code) {
    case "APPROVAL_NOT_FOUND":
      return messagePage(404, "There is no such request", "Open the link from the approval mail.");
    case "APPROVAL_SELF":
      return messagePage(403, "You cannot approve your own request", "Another approver decides.");
    case "APPROVAL_NOT_APPROVER":
      return messagePage(403, "You are not an approver of this request", "Only the people the request was sent to may decide.");
    case "APPROVAL_FORM_INVALID":
      return messagePage(403, "This form could not be accepted", "Open the link from the approval mail again and decide on that page.");
    case "STORE_ERROR":
    case "CONFIG_MISSING":
      return messagePage(503, "The service is busy", "Nothing was decided. Please try again in a few minutes.");
    default:
      return messagePage(500, "Something went wrong", "Nothing was decided. Please try again later; the helpdesk has been told.");
  }
}

interface Opened {
  record: ApprovalRecord;
  approver: Approver;
  token: string;
}

/** The link's approval and approver, or the page that says why not. Overdue approvals expire here. */
async function open(deps: PipelineDeps, approvalId: string, token: string, events: EventSink): Promise<Opened | PageAnswer> {
  const approvals = deps.approvals;
  if (!approvals) return messagePage(503, "Approvals are not available", "This service is not set up to take approvals.");
  if (!APPROVAL_ID.test(approvalId)) return messagePage(404, "There is no such request", "Open the link from the approval mail.");
  const check = (await approvals.tokens()).check(token, approvalId, deps.clock.now());
  if (!check.ok) {
    events("approval.link_refused", { approvalId, problem: check.problem });
    return linkProblem(check.problem);
  }
  const record = await approvals.store.get(approvalId);
  if (!record) return messagePage(404, "There is no such request", "Open the link from the approval mail.");
  if (record.state === "pending" && deps.clock.now() >= record.expiresAt) {
    await expireApproval(deps, record, events);
    return closedPage({ ...record, state: "expired" });
  }
  const approver = record.approvers.find((candidate) => candidate.key === check.claims.approverKey);
  if (!approver) return linkProblem("invalid");
  if (record.state !== "pending") return closedPage(record);
  return { record, approver, token };
}

export async function handleApprovalPage(deps: PipelineDeps, request: ApprovalRequest, events: EventSink): Promise<PageAnswer> {
  try {
    const opened = await open(deps, request.approvalId, request.token, events);
    if ("status" in opened) return opened;
    const tokens = await deps.approvals!.tokens();
    return approvalPage(opened.record, opened.approver, opened.token, tokens.form(opened.token));
  } catch (thrown) {
    return errorPage(ensureIntentError(thrown));
  }
}

/**
 * A browser sends Sec-Fetch-Site and Origin with a form; from another site, it is refused.
 * Sec-Fetch-Site decides where a browser sends it (it does not depend on a referrer policy);
 * Origin is for those that do not.
 */
function crossSite(request: ApprovalRequest): boolean {
  const site = request.header("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = request.header("origin");
  const host = request.header("x-forwarded-host") ?? request.header("host");
  if (!origin || origin === "null" || !host) return origin === "null";
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

async function readForm(request: ApprovalRequest): Promise<URLSearchParams | undefined> {
  const type = request.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  const raw = await readLimitedBody(request.body, request.header("content-length"), MAX_FORM_BYTES);
  return new URLSearchParams(raw.toString("utf8"));
}

export async function handleApprovalDecision(deps: PipelineDeps, request: ApprovalRequest, events: EventSink): Promise<PageAnswer> {
  try {
    const form = await readForm(request).catch(() => undefined);
    const token = form?.get("t") ?? "";
    const decision = form?.get("decision");
    const opened = await open(deps, request.approvalId, token, events);
    if ("status" in opened) return opened;
    if (!form || crossSite(request) || !(await deps.approvals!.tokens()).formMatches(token, form.get("form") ?? "") || (decision !== "approve" && decision !== "deny")) {
      events("approval.form_refused", { approvalId: request.approvalId });
      return errorPage(new IntentError("APPROVAL_FORM_INVALID", "The decision form is not valid."));
    }
    const decided = await decideApproval(deps, {
      approvalId: opened.record.approvalId, decision, approver: { address: opened.approver.address, ...(opened.approver.id ? { id: opened.approver.id } : {}) },
      comment: form.get("comment") ?? undefined, via: "link",
    }, events);
    return decided.state === "denied"
      ? messagePage(200, "Denied", "Nothing was changed. The requester is told that you denied the request.")
      : messagePage(200, "Approved", "The change is being made now. The requester is told when it is done; if the tenant changed since the request, you are asked again.");
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    if (error.code === "APPROVAL_CLOSED" || error.code === "APPROVAL_EXPIRED") {
      const record = await deps.approvals?.store.get(request.approvalId).catch(() => undefined);
      if (record) return closedPage(record);
    }
    return errorPage(error);
  }
}
