/** `permissions.graph` is needed only by an intent whose steps call Graph: a runbook-only intent leaves it out. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintPaths, loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const RUNBOOK_ONLY = `apiVersion: intents/v1
kind: Intent
name: Convert by Runbook
description: Converts a mailbox to shared through the runbook alone.
risk: reversible
target: fields.userEmail
permissions:
  exchangeRoles: [Exchange Administrator]
fields:
  userEmail: { label: Mailbox Email, type: string, required: true, format: email }
steps:
  - id: convert
    kind: automation:runbook
    with:
      runbook: Convert-ToSharedMailbox
      parameters: { UserPrincipalName: "{{fields.userEmail}}" }
result:
  messages: { succeeded: "{{fields.userEmail}} is shared.", failed: "Not converted: {{error.message}}" }
`;

describe("an intent without permissions.graph", () => {
  it("lints clean and loads when no step calls Graph", () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-only-"));
    writeFileSync(join(dir, "convert.yaml"), RUNBOOK_ONLY);
    expect(lintPaths([dir], builtinKindSpecs()).diagnostics).toEqual([]);
    expect(loadCatalog(builtinKindSpecs(), dir).find("Convert by Runbook")?.permissions).toEqual({ graph: [], entraRoles: [], exchangeRoles: ["Exchange Administrator"] });
  });

  it("is refused at the request once a step calls Graph", () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-only-"));
    const withRead = RUNBOOK_ONLY.replace("steps:\n", 'steps:\n  - id: read\n    kind: graph:request\n    with: { method: GET, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" } }\n');
    writeFileSync(join(dir, "convert.yaml"), withRead);
    const found = lintPaths([dir], builtinKindSpecs()).diagnostics.map((d) => `${d.line} ${d.code}`);
    expect(found).toEqual(["14 SPEC_PERMISSION_MISSING"]);
  });
});
