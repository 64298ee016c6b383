import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRunbookManifest } from "../../engine/clients/arm";
import { RUNBOOK_EFFECTS } from "../../sandbox/arm/runbook-effects";
import { parsePsParameters } from "./support/ps-params";

const RUNBOOKS_DIR = path.resolve(__dirname, "../../runbooks");
const manifest = loadRunbookManifest(path.join(RUNBOOKS_DIR, "runbooks.json"));
const scripts = readdirSync(RUNBOOKS_DIR).filter((file) => file.endsWith(".ps1"));
const source = (runbook: string) => readFileSync(path.join(RUNBOOKS_DIR, `${runbook}.ps1`), "utf8");

describe("runbooks/runbooks.json against the runbooks", () => {
  it("lists exactly the .ps1 files in runbooks/, and the sandbox simulates each one", () => {
    const names = scripts.map((file) => file.replace(/\.ps1$/, "")).sort();
    expect(Object.keys(manifest).sort()).toEqual(names);
    expect(Object.keys(RUNBOOK_EFFECTS).sort()).toEqual(names);
  });

  for (const runbook of Object.keys(manifest)) {
    it(`${runbook}: manifest parameters match the param() block (names, mandatory, ValidateSet, default)`, () => {
      const declared = parsePsParameters(source(runbook));
      const fromManifest = Object.entries(manifest[runbook]!.parameters).map(([name, spec]) => ({
        name,
        mandatory: spec.required,
        ...(spec.enum ? { validateSet: spec.enum } : {}),
        ...(spec.default === undefined ? {} : { default: spec.default }),
      }));
      expect(declared).toEqual(fromManifest);
    });

    it(`${runbook}: connects with the managed identity to the ExchangeOrganization domain and writes JSON results`, () => {
      const script = source(runbook);
      expect(script).toMatch(/Get-AutomationVariable -Name 'ExchangeOrganization'/);
      expect(script).toMatch(/Connect-ExchangeOnline -ManagedIdentity -Organization \$organization/);
      expect(script).not.toMatch(/Get-AzContext/);
      expect(script).toMatch(/ConvertTo-Json -Compress/);
      // Every failure path writes a failed line and then throws, so the job fails too.
      expect(script).toMatch(/Write-Result 'failed'[^\n]*\n(?:[^\n]*\n)?\s*throw \$reason/);
      // Results are JSON, never the seed's SUCCESS:/INFO: prose.
      expect(script).not.toMatch(/Write-Output "(SUCCESS|INFO|FAILED):/);
    });
  }

  it("Set-SharedMailboxPermission compares holders by resolved identity and uses @{Add}/@{Remove} for SendOnBehalf", () => {
    const script = source("Set-SharedMailboxPermission");
    expect(script).toMatch(/\$holder\.Guid -eq \$Target\.Guid/);
    expect(script).toMatch(/-GrantSendOnBehalfTo @\{ Add = \$who \}/);
    expect(script).toMatch(/-GrantSendOnBehalfTo @\{ Remove = \$who \}/);
  });
});
