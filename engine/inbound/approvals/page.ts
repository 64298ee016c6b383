/**
 * The approval pages: plain HTML with no script at all, one inline stylesheet allowed by its hash
 * and nothing else (strict CSP), every value escaped, labelled form controls, and the change list
 * as text a screen reader reads as written ("accountEnabled: true → false").
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "../../lifecycle/failure-mail/failure-mail";
import { changeHeadline, NO_CHANGE, unplannedLine } from "../../lifecycle/approval/plan/diff-text";
import type { PlanField } from "../../lifecycle/approval/plan/types";
import type { ApprovalRecord, Approver } from "../../lifecycle/approval/types";

export interface PageAnswer {
  status: number;
  headers: Record<string, string>;
  html: string;
}

const STYLE = [
  "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Arial,sans-serif;margin:0;color:#201f1e;background:#faf9f8}",
  "main{max-width:44rem;margin:0 auto;padding:1.5rem}",
  "h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}",
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
  "ol.plan{padding-left:1.5rem}ol.plan li{margin:.5rem 0}ol.plan ul{margin:.25rem 0;padding-left:1.25rem}",
  ".old{text-decoration:line-through;color:#a4262c}.new{font-weight:600;color:#107c10}",
  "label{display:block;font-weight:600;margin:1rem 0 .25rem}textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem}",
  ".actions{display:flex;gap:1rem;margin-top:1rem}",
  "button{font:inherit;font-weight:600;padding:.6rem 1.5rem;border-radius:4px;border:2px solid #201f1e;cursor:pointer}",
  "button.approve{background:#107c10;color:#fff;border-color:#107c10}button.deny{background:#fff;color:#a4262c;border-color:#a4262c}",
  "button:focus-visible,textarea:focus-visible{outline:3px solid #0078d4;outline-offset:2px}",
  ".note{color:#605e5c;font-size:.9rem}",
].join("");

const STYLE_HASH = createHash("sha256").update(STYLE, "utf8").digest("base64");

/** No script, no frame, no other origin: only this page's own stylesheet, and forms back to this site. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": PAGE_CSP,
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  // The link's token is in the address: no other site may learn it from a Referer. Not
  // `no-referrer`: under it a browser posts the form with `Origin: null`, which reads as another site.
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

function document(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join("\n");
}

export function page(status: number, title: string, body: string): PageAnswer {
  return { status, headers: { ...PAGE_HEADERS }, html: document(title, body) };
}

/** A page that says one thing: a result, or why nothing happened. */
export function messagePage(status: number, title: string, ...paragraphs: string[]): PageAnswer {
  return page(status, title, `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}`);
}

function fieldHtml(field: PlanField): string {
  const name = `<span class="field">${escapeHtml(field.name)}</span>: `;
  if (field.unchanged) return `${name}${escapeHtml(field.after)} (already so)`;
  if (field.before === undefined) return `${name}<span class="new">${escapeHtml(field.after)}</span>`;
  return `${name}<span class="old">${escapeHtml(field.before)}</span> → <span class="new">${escapeHtml(field.after)}</span>`;
}

function planHtml(record: ApprovalRecord): string {
  const { changes, unplanned } = record.plan;
  if (changes.length === 0 && unplanned.length === 0) return `<p>${escapeHtml(NO_CHANGE)}</p>`;
  const items = changes.map((change) => {
    const fields = change.fields.map((field) => `<li>${fieldHtml(field)}</li>`).join("");
    return `<li><p>${escapeHtml(changeHeadline(change))}</p>${fields ? `<ul>${fields}</ul>` : ""}</li>`;
  });
  return `<ol class="plan" aria-labelledby="changes">${[...items, ...unplanned.map((step) => `<li><p>${escapeHtml(unplannedLine(step))}</p></li>`)].join("")}</ol>`;
}

function facts(record: ApprovalRecord): string {
  const requester = record.requester.name ? `${record.requester.name} (${record.requester.email})` : record.requester.email;
  const rows: Array<[string, string]> = [
    ["Requested by", requester],
    ["Request", record.intentName],
    ...(record.target ? [["For", record.target] as [string, string]] : []),
    ["Ticket", `#${record.ticketId}`],
    ...(record.plan.startsAt ? [["Runs", record.plan.startsAt.words] as [string, string]] : []),
    ["Asked", new Date(record.requestedAt).toUTCString()],
    ["Expires", new Date(record.expiresAt).toUTCString()],
  ];
  return `<dl>${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>`;
}

/** The page an approver opens from the mail: the facts, the changes, and the form. */
export function approvalPage(record: ApprovalRecord, approver: Approver, linkToken: string, formToken: string): PageAnswer {
  const title = `Approve ${record.intentName}${record.target ? ` for ${record.target}` : ""}?`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(`${approver.name}, you are asked as ${approver.reason}. Nothing is changed unless the request is approved.`)}</p>`,
    facts(record),
    `<h2 id="changes">What will change</h2>`,
    planHtml(record),
    `<form method="post" action="/api/approvals/${escapeHtml(record.approvalId)}">`,
    `<input type="hidden" name="t" value="${escapeHtml(linkToken)}"><input type="hidden" name="form" value="${escapeHtml(formToken)}">`,
    `<label for="comment">Comment (optional, the requester sees it)</label>`,
    `<textarea id="comment" name="comment" rows="3" maxlength="1000"></textarea>`,
    `<div class="actions"><button type="submit" class="approve" name="decision" value="approve">Approve</button>`,
    `<button type="submit" class="deny" name="decision" value="deny">Deny</button></div>`,
    `</form>`,
    `<p class="note">${escapeHtml("Only the first decision counts. Before anything is written the tenant is read again: if the changes would differ from these, you are asked again.")}</p>`,
  ].join("\n");
  return page(200, title, body);
}
