import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../engine/core/errors";
import { automationRunbookSpec } from "../../engine/kinds/automation/runbook";
import type { StaticStep } from "../../engine/core/step-kind";
import { staticStepFromYaml } from "./support/static-step";

interface Finding {
  code: ErrorCode;
  message: string;
  line: number;
  col: number;
}

function lint(step: StaticStep): Finding[] {
  const findings: Finding[] = [];
  automationRunbookSpec.lint!(step, (code, message, path) => findings.push({ code, message, ...step.locate(path) }));
  return findings;
}

const intent = (withBlock: string) => `apiVersion: intents/v1
kind: Intent
name: Shared Mailbox Permission
steps:
  - id: grant
    kind: automation:runbook
    with:
${withBlock}
`;

describe("automation:runbook lint against runbooks/runbooks.json", () => {
  it("accepts a step that passes every required parameter, templated or literal", () => {
    const step = staticStepFromYaml(
      intent(`      runbook: Set-SharedMailboxPermission
      parameters:
        SharedMailboxEmail: "{{fields.mailbox}}"
        UserEmail: "{{fields.userEmail}}"
        PermissionType: "{{fields.permission}}"
        Action: grant`),
    );
    expect(lint(step)).toEqual([]);
  });

  it("rejects a misspelt parameter at its line and column, with a did-you-mean", () => {
    const step = staticStepFromYaml(
      intent(`      runbook: Convert-ToSharedMailbox
      parameters:
        UserPrincipleName: "{{fields.userEmail}}"`),
    );
    expect(lint(step)).toEqual([
      {
        code: "SPEC_RUNBOOK_PARAMETER",
        message: "Runbook 'Convert-ToSharedMailbox' has no parameter 'UserPrincipleName'. Did you mean 'UserPrincipalName'?",
        line: 10,
        col: 28,
      },
      { code: "SPEC_RUNBOOK_PARAMETER", message: "Runbook 'Convert-ToSharedMailbox' needs parameter 'UserPrincipalName'.", line: 10, col: 9 },
    ]);
  });

  it("rejects an unknown runbook at the runbook line, suggesting the closest name", () => {
    const step = staticStepFromYaml(
      intent(`      runbook: Convert-ToSharedMailBoxes
      parameters: { UserPrincipalName: x }`),
    );
    expect(lint(step)).toEqual([
      {
        code: "SPEC_RUNBOOK_UNKNOWN",
        message: "Runbook 'Convert-ToSharedMailBoxes' is not in runbooks/runbooks.json. Did you mean 'Convert-ToSharedMailbox'?",
        line: 8,
        col: 16,
      },
    ]);
  });

  it("rejects a literal outside a ValidateSet but leaves templated values to run time", () => {
    const step = staticStepFromYaml(
      intent(`      runbook: Set-SharedMailboxPermission
      parameters:
        SharedMailboxEmail: sales@contoso.com
        UserEmail: "{{fields.userEmail}}"
        PermissionType: Full Access
        Action: "{{fields.action}}"`),
    );
    const findings = lint(step);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "SPEC_RUNBOOK_PARAMETER", line: 12 });
    expect(findings[0]!.message).toContain("FullAccess, SendAs, SendOnBehalf");
  });

  it("names every missing required parameter, and skips a templated runbook name", () => {
    const missing = staticStepFromYaml(intent(`      runbook: Set-SharedMailboxPermission`));
    expect(lint(missing).map((finding) => [finding.code, finding.message, finding.line])).toEqual([
      [
        "SPEC_RUNBOOK_PARAMETER",
        "Runbook 'Set-SharedMailboxPermission' needs parameters 'SharedMailboxEmail', 'UserEmail', 'PermissionType', 'Action'.",
        8,
      ],
    ]);
    const templated = staticStepFromYaml(intent(`      runbook: "{{constants.runbook}}"\n      parameters: { Anything: x }`));
    expect(lint(templated)).toEqual([]);
  });
});
