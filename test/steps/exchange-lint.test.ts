/** `intents lint` on exchange:cmdlet steps: the closed cmdlet list, each cmdlet's parameters, typed literals. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cmdletNames } from "../../engine/contracts/exchange-cmdlets";
import { lintPaths } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

function lint(steps: string, constants = ""): Array<{ code: string; line: number; col: number; message: string }> {
  const dir = mkdtempSync(join(tmpdir(), "exchange-lint-"));
  const text = [
    "apiVersion: intents/v1",
    "kind: Intent",
    "name: Exchange lint",
    "description: Lint fixture.",
    "risk: reversible",
    "permissions: { graph: [] }",
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
});
