/** The shipped catalogue: the seed intents, the breadth ones, their aliases, and one idempotency identity per request. */
import { describe, expect, it } from "vitest";
import { loadCatalog, mapFields, type CompiledIntent } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const catalog = loadCatalog(builtinKindSpecs());

describe("intent catalogue", () => {
  it("ships the eight seed intents, the two change-triggered ones, the breadth ones, the schedule's cancel, the joiner-mover-leaver set and Reinstate User", () => {
    expect(catalog.supportedNames()).toEqual([
      "Add User to Group",
      "Cancel Scheduled Request",
      "Convert to Shared Mailbox",
      "Delete User",
      "Department Group Onboarding",
      "Disabled Account Sign-out",
      "Hide from Address Book",
      "License Assignment",
      "MFA Reset",
      "New User Creation",
      "Password Reset",
      "Reinstate User",
      "Remove Mail Forwarding",
      "Remove User from Group",
      "Revoke Sessions",
      "Set Mail Forwarding",
      "Set Out of Office",
      "Shared Mailbox Permission",
      "Temporary Access Pass",
      "Update Manager",
      "User Mover",
      "User Offboarding",
      "User Onboarding",
    ]);
  });

  it("maps the breadth intents' aliases to their canonical intents", () => {
    const aliases: Array<[string, string]> = [
      ["automatic replies", "Set Out of Office"],
      ["Hide from GAL", "Hide from Address Book"],
      ["Turn Off Mail Forwarding", "Remove Mail Forwarding"],
      ["email forwarding", "Set Mail Forwarding"],
      ["Change Manager", "Update Manager"],
      ["Revoke Sign-in Sessions", "Revoke Sessions"],
      ["tap", "Temporary Access Pass"],
      ["Create  Temporary Access Pass", "Temporary Access Pass"],
      ["cancel scheduled offboarding", "Cancel Scheduled Request"],
    ];
    for (const [alias, name] of aliases) expect(catalog.find(alias)?.name).toBe(name);
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
