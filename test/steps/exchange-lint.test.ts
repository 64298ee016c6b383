/**
 * `intents lint` on exchange:cmdlet steps: the closed cmdlet list, each cmdlet's parameters, typed
 * literals, and an Exchange role among the intent's permissions that holds each cmdlet.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cmdletNames } from "../../engine/contracts/exchange-cmdlets";
import { lintPaths } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

function lint(steps: string, constants = "", permissions = "permissions: { graph: [], exchangeRoles: [Exchange Administrator] }"): Array<{ code: string; line: number; col: number; message: string }> {
  const dir = mkdtempSync(join(tmpdir(), "exchange-lint-"));
  const text = [
    "apiVersion: intents/v1",
    "kind: Intent",
    "name: Exchange lint",
    "description: Lint fixture.",
    "risk: reversible",
    permissions,
    "fields:",
    "  userEmail: { label: User Email, type: string }",
    "  action: { label: Action, type: string, enum: [Grant, Revoke], default: Grant }",
    "  cmdlet: { label: Cmdlet, type: string }",
    constants,
    "steps:",
    steps,
    "result:",
    "  messages: { succeeded: done, failed: failed }",
  ].join("\n");
  writeFileSync(join(dir, "intent.yaml"), text);
  return lintPaths([dir], builtinKindSpecs()).diagnostics.map(({ code, line, col, message }) => ({ code, line, col, message }));
}

const step = (cmdlet: string, parameters: string): string =>
  ["  - id: exo", "    kind: exchange:cmdlet", "    with:", `      cmdlet: ${cmdlet}`, "      parameters:", parameters].join("\n");

describe("exchange:cmdlet lint", () => {
  it("accepts a listed cmdlet with its parameters, literal or templated", () => {
    expect(lint(step("Set-Mailbox", '        Identity: "{{fields.userEmail}}"\n        Type: Shared\n        HiddenFromAddressListsEnabled: "{{eq fields.action \'Grant\'}}"'))).toEqual([]);
  });

  it("refuses a cmdlet outside the list at its line and column", () => {
    const [problem, ...rest] = lint(step("Remove-Mailbox", '        Identity: "{{fields.userEmail}}"'));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: "SPEC_EXCHANGE_CMDLET", line: 16, col: 15 });
    // The message lists the whole allowed list, which grows with each cmdlet added to the contract.
    expect(cmdletNames()).not.toContain("Remove-Mailbox");
    expect(cmdletNames()).toEqual(expect.arrayContaining(["Add-MailboxPermission", "Remove-DistributionGroupMember", "Set-Mailbox"]));
    expect(problem!.message).toBe(`'Remove-Mailbox' is not a cmdlet the engine may run (allowed: ${cmdletNames().join(", ")})`);
  });

  it("refuses a parameter the cmdlet may not receive, so New-InboxRule-style forwarding cannot ride along", () => {
    const problems = lint(step("Set-Mailbox", '        Identity: "{{fields.userEmail}}"\n        ForwardingAddress: "{{fields.cmdlet}}"'));
    expect(problems).toEqual([
      { code: "SPEC_EXCHANGE_CMDLET", line: 19, col: 9, message: expect.stringMatching(/^Set-Mailbox may not receive 'ForwardingAddress' \(allowed: .*ForwardingSmtpAddress/) },
    ]);
  });

  it("refuses a cmdlet a field value could choose, and a constant that maps to an unlisted cmdlet", () => {
    expect(lint(step('"{{fields.cmdlet}}"', '        Identity: "{{fields.userEmail}}"'))[0]).toMatchObject({ code: "SPEC_EXCHANGE_CMDLET", message: expect.stringMatching(/must be a literal, or \{\{lookup constants\.NAME/) });
    const constants = "constants:\n  cmdlets: { Grant: Add-MailboxPermission, Revoke: Remove-Mailbox }";
    const problems = lint(step('"{{lookup constants.cmdlets fields.action}}"', '        Identity: "{{fields.userEmail}}"\n        User: "{{fields.userEmail}}"\n        AccessRights: [FullAccess]'), constants);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/'Remove-Mailbox' is not a cmdlet the engine may run/)]);
  });

  it("checks every cmdlet a constant can choose against the step's parameters", () => {
    const constants = "constants:\n  cmdlets: { Grant: Add-MailboxPermission, Revoke: Remove-MailboxPermission }";
    const problems = lint(step('"{{lookup constants.cmdlets fields.action}}"', '        Identity: "{{fields.userEmail}}"\n        User: "{{fields.userEmail}}"\n        AccessRights: [FullAccess]\n        AutoMapping: true'), constants);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/Remove-MailboxPermission may not receive 'AutoMapping'/)]);
  });

  it("suggests the parameter meant when one is misspelt", () => {
    expect(lint(step("Set-Mailbox", '        Identity: "{{fields.userEmail}}"\n        HiddenFromAddresListsEnabled: true'))[0]!.message).toMatch(/did you mean 'HiddenFromAddressListsEnabled'\?/);
  });

  it("names missing required parameters and literals of the wrong type or outside the allowed values", () => {
    const messages = lint(step("Set-Mailbox", '        Type: Room\n        HiddenFromAddressListsEnabled: "yes"')).map((p) => p.message);
    expect(messages).toEqual([
      expect.stringMatching(/Set-Mailbox parameter Type must be one of Regular, Shared/),
      expect.stringMatching(/Set-Mailbox parameter HiddenFromAddressListsEnabled must be true or false/),
      expect.stringMatching(/Set-Mailbox needs Identity/),
    ]);
  });

  describe("the Exchange role the intent declares", () => {
    const hide = step("Set-Mailbox", '        Identity: "{{fields.userEmail}}"\n        HiddenFromAddressListsEnabled: true');
    const holders = "(Exchange Administrator, Exchange Recipient Administrator, Global Administrator, Organization Management, Recipient Management)";

    it("must hold the cmdlet: none declared is reported at the cmdlet, with the roles that would do", () => {
      expect(lint(hide, "", "permissions: { graph: [] }")).toEqual([
        {
          code: "SPEC_PERMISSION_MISSING",
          line: 16,
          col: 15,
          message: `Set-Mailbox needs an Exchange role holding Mail Recipients ${holders}, granted with Exchange.ManageAsApp; it declares none (permissions.exchangeRoles)`,
        },
      ]);
    });

    it("a role group that only reads recipients may read a mailbox but not change one", () => {
      const helpDesk = "permissions: { exchangeRoles: [Help Desk] }";
      expect(lint(hide, "", helpDesk).map((p) => p.message)).toEqual([`Set-Mailbox needs an Exchange role holding Mail Recipients ${holders}, granted with Exchange.ManageAsApp; it declares Help Desk`]);
      expect(lint(step("Get-Mailbox", '        Identity: "{{fields.userEmail}}"'), "", helpDesk)).toEqual([]);
    });

    it("accepts the narrowest role that holds it, as a role group or as the Entra role standing for it", () => {
      const member = step("Remove-DistributionGroupMember", '        Identity: sales@contoso.com\n        Member: "{{fields.userEmail}}"');
      expect(lint(member, "", "permissions: { exchangeRoles: [Recipient Management] }")).toEqual([]);
      expect(lint(member, "", "permissions: { exchangeRoles: [Exchange Recipient Administrator] }")).toEqual([]);
      expect(lint(member, "", "permissions: { exchangeRoles: [Global Reader] }").map((p) => p.code)).toEqual(["SPEC_PERMISSION_MISSING"]);
    });

    it("judges every cmdlet a constant can choose", () => {
      const constants = "constants:\n  cmdlets: { Grant: Add-MailboxPermission, Revoke: Get-Mailbox }";
      const problems = lint(step('"{{lookup constants.cmdlets fields.action}}"', '        Identity: "{{fields.userEmail}}"'), constants, "permissions: { exchangeRoles: [View-Only Organization Management] }");
      expect(problems.filter((p) => p.code === "SPEC_PERMISSION_MISSING").map((p) => p.message)).toEqual([expect.stringMatching(/^Add-MailboxPermission needs an Exchange role holding Mail Recipients/)]);
    });

    it("leaves a misspelt role to the name check, so the intent hears of it once", () => {
      expect(lint(hide, "", "permissions: { exchangeRoles: [Recipient Managment] }")).toEqual([
        expect.objectContaining({ code: "SPEC_UNKNOWN_PERMISSION", message: expect.stringMatching(/did you mean Recipient Management\?/) }),
      ]);
    });
  });
});
