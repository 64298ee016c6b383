/**
 * A one-step "Convert To Shared" intent around the Convert-ToSharedMailbox runbook, for tests that
 * need a small runbook intent with fixed lines and messages (the shipped intent may change).
 * The runbook parameter sits on line 20: lint tests assert that line.
 */
export interface ConvertToSharedOptions {
  /** The runbook parameter's name; a misspelt one is what the lint tests feed. */
  parameterName?: string;
  /** The step's timeout: a long-run test needs more than the HTTP budget allows. */
  timeoutMs: number;
}

export function convertToSharedYaml({ parameterName = "UserPrincipalName", timeoutMs }: ConvertToSharedOptions): string {
  return `apiVersion: intents/v1
kind: Intent
name: Convert To Shared
description: Converts a leaver's mailbox to a shared mailbox.
risk: reversible
permissions:
  graph: []
  exchangeRoles: [Exchange Administrator]
fields:
  userEmail:
    label: User Email
    type: string
    required: true
steps:
  - id: convert
    kind: automation:runbook
    with:
      runbook: Convert-ToSharedMailbox
      parameters:
        ${parameterName}: "{{fields.userEmail}}"
    timeoutMs: ${timeoutMs}
result:
  messages:
    succeeded: "The mailbox of {{fields.userEmail}} is now shared."
    failed: "The mailbox could not be converted: {{error.message}}"
target: fields.userEmail
`;
}
