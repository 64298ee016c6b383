/** Approval link and form tokens: signed, bound to one approval and approver, expiring; nothing unsigned is believed. */
import { describe, expect, it } from "vitest";
import { ApprovalTokens } from "../../engine/lifecycle/approval/token";

const KEY = "approval-signing-key-for-tests-7f3a";
const ID = "0123456789abcdef0123456789abcdef";
const OTHER_ID = "fedcba9876543210fedcba9876543210";
const NOW = Date.parse("2026-12-02T10:00:00Z");
const claims = { approvalId: ID, approverKey: "a1b2c3d4e5f60718", expiresAt: NOW + 3_600_000 };

describe("approval link tokens", () => {
  const tokens = new ApprovalTokens(KEY);

  it("round-trips: the approval, the approver and the expiry (to the second) come back", () => {
    const token = tokens.link(claims);
    expect(tokens.check(token, ID, NOW)).toEqual({ ok: true, claims });
    expect(token).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{16}\.\d+\.[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a token altered anywhere: approver, expiry, signature, one character at a time", () => {
    const token = tokens.link(claims);
    for (let i = 0; i < token.length; i++) {
      const c = token[i]!;
      const swapped = c === "a" ? "b" : c === "0" ? "1" : c === "." ? "." : c === "A" ? "B" : "a";
      if (swapped === c) continue;
      const altered = token.slice(0, i) + swapped + token.slice(i + 1);
      const check = tokens.check(altered, ID, NOW);
      expect(check.ok, `position ${i}`).toBe(false);
    }
    const later = token.replace(/\.(\d+)\./, (_, s: string) => `.${Number(s) + 86_400}.`);
    expect(tokens.check(later, ID, NOW)).toEqual({ ok: false, problem: "invalid" });
  });

  it("refuses a token signed with another key, and says so no differently from an altered one", () => {
    const foreignKey = new ApprovalTokens("another-deployments-key-0000");
    expect(tokens.check(foreignKey.link(claims), ID, NOW)).toEqual({ ok: false, problem: "invalid" });
  });

  it("refuses a valid token of another approval as foreign", () => {
    const other = tokens.link({ ...claims, approvalId: OTHER_ID });
    expect(tokens.check(other, ID, NOW)).toEqual({ ok: false, problem: "foreign" });
  });

  it("refuses a token at and after its expiry", () => {
    const token = tokens.link(claims);
    expect(tokens.check(token, ID, claims.expiresAt - 1).ok).toBe(true);
    expect(tokens.check(token, ID, claims.expiresAt)).toEqual({ ok: false, problem: "expired" });
  });

  it("refuses malformed tokens without throwing", () => {
    for (const bad of ["", "x", `${ID}..1.`, `${ID}.zzzzzzzzzzzzzzzz.1.${"a".repeat(43)}`, "%00", `${tokens.link(claims)}x`]) {
      expect(tokens.check(bad, ID, NOW)).toEqual({ ok: false, problem: "invalid" });
    }
  });
});

describe("form tokens", () => {
  const tokens = new ApprovalTokens(KEY);

  it("bind a form to its page's link: the same link matches, another link or another key does not", () => {
    const link = tokens.link(claims);
    const other = tokens.link({ ...claims, approverKey: "ffffffffffffffff" });
    const form = tokens.form(link);
    expect(tokens.formMatches(link, form)).toBe(true);
    expect(tokens.formMatches(other, form)).toBe(false);
    expect(tokens.formMatches(link, "")).toBe(false);
    expect(new ApprovalTokens("another-key-entirely-123").formMatches(link, form)).toBe(false);
    // The form token is not the link's own signature: one cannot stand in for the other.
    expect(form).not.toBe(link.split(".").pop());
  });
});
