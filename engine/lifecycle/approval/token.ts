/**
 * The approval link's token and the page's form token. A link token names one approval, one
 * approver and when it stops working, signed with HMAC-SHA256 under a key derived from
 * APPROVAL_SIGNING_KEY; it is single-use because the approval it names takes one decision. The
 * form token is the link token signed again under another derived key: the page's form carries
 * both, so a form posted from anywhere but a page rendered for that link is refused.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

export interface LinkClaims {
  approvalId: string;
  /** The approver's key in the approval record (random, per approver and approval). */
  approverKey: string;
  /** Epoch ms after which the link no longer works. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; problem: "invalid" | "foreign" | "expired" };

const TOKEN = /^([0-9a-f]{32})\.([0-9a-f]{16})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function derive(signingKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", signingKey, "m365-intent-engine approvals", purpose, 32));
}

function mac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64url");
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ApprovalTokens {
  private readonly linkKey: Buffer;
  private readonly formKey: Buffer;

  constructor(signingKey: string) {
    this.linkKey = derive(signingKey, "approval link v1");
    this.formKey = derive(signingKey, "approval form v1");
  }

  link(claims: LinkClaims): string {
    const body = `${claims.approvalId}.${claims.approverKey}.${Math.floor(claims.expiresAt / 1000)}`;
    return `${body}.${mac(this.linkKey, body)}`;
  }

  /** Signature first (nothing unsigned is believed), then whose approval it names, then its time. */
  check(token: string, approvalId: string, now: number): LinkCheck {
    const parts = TOKEN.exec(token);
    if (!parts) return { ok: false, problem: "invalid" };
    const [, id, approverKey, seconds, signature] = parts as unknown as [string, string, string, string, string];
    if (!same(mac(this.linkKey, `${id}.${approverKey}.${seconds}`), signature)) return { ok: false, problem: "invalid" };
    if (id !== approvalId) return { ok: false, problem: "foreign" };
    const expiresAt = Number(seconds) * 1000;
    if (now >= expiresAt) return { ok: false, problem: "expired" };
    return { ok: true, claims: { approvalId: id, approverKey, expiresAt } };
  }

  form(linkToken: string): string {
    return mac(this.formKey, linkToken);
  }

  formMatches(linkToken: string, formToken: string): boolean {
    return same(this.form(linkToken), formToken);
  }
}
