/** The shipped catalogue: the eight seed intents, their aliases, and one idempotency identity per request. */
import { describe, expect, it } from "vitest";
import { loadCatalog, mapFields, type CompiledIntent } from "../../engine/index";

const catalog = loadCatalog();

describe("intent catalogue", () => {
  it("ships the eight seed intents and the two change-triggered ones", () => {
    expect(catalog.supportedNames()).toEqual([
      "Add User to Group",
      "Department Group Onboarding",
      "Disabled Account Sign-out",
      "License Assignment",
      "MFA Reset",
      "New User Creation",
      "Password Reset",
      "Remove User from Group",
      "Shared Mailbox Permission",
      "User Offboarding",
    ]);
  });

  it("maps both offboarding aliases, in any case and spacing, to the one canonical intent and idempotency identity", () => {
    const canonical = catalog.find("User Offboarding") as CompiledIntent;
    const fields = { "User Email": "isaiah.langer@contoso.com", "Revoke Sessions": "yes" };
    const identity = (intent: CompiledIntent | undefined) => {
      const mapped = mapFields(intent as CompiledIntent, fields);
      return mapped.ok ? `${intent?.name}|${mapped.identity}` : "refused";
    };
    for (const alias of ["Disable Account", "user offboarding /  disable account", "  DISABLE ACCOUNT "]) {
      expect(catalog.find(alias)).toBe(canonical);
      expect(identity(catalog.find(alias))).toBe(identity(canonical));
    }
    // A missing Revoke Sessions takes its declared default (yes), so it is the same request.
    expect(mapFields(canonical, { "User Email": "isaiah.langer@contoso.com" })).toMatchObject({ ok: true, fields: { revokeSessions: true } });
  });
});
