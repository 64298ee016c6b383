import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INFRA_DIR, readBicep } from "./bicep-reader";

const ROOT = join(INFRA_DIR, "..");
const main = readBicep("main.bicep");
const deployScript = readFileSync(join(ROOT, "scripts", "deploy.sh"), "utf8");

/** The runbook list exactly as main.bicep builds it from the manifest it loads. */
function runbooksAsBicepReadsThem(): Array<{ name: string; description: unknown }> {
  const manifestPath = /loadJsonContent\('([^']+)'\)/.exec(main)?.[1];
  expect(manifestPath, "main.bicep loads the manifest").toBeDefined();
  const manifest = JSON.parse(readFileSync(join(INFRA_DIR, manifestPath as string), "utf8")) as { runbooks: Record<string, { description?: unknown }> };
  expect(main).toMatch(/for runbook in items\(runbookManifest\.runbooks\): \{ name: runbook\.key, description: runbook\.value\.description \}/);
  return Object.entries(manifest.runbooks).map(([name, spec]) => ({ name, description: spec.description }));
}

describe("every runbook in the manifest is deployed and published", () => {
  const runbooks = runbooksAsBicepReadsThem();

  it("the manifest lists runbooks, each with the description the runbook resource needs", () => {
    expect(runbooks.length).toBeGreaterThan(0);
    for (const r of runbooks) expect(typeof r.description, r.name).toBe("string");
  });

  it("each manifest runbook has the .ps1 deploy.sh publishes, and each .ps1 is in the manifest", () => {
    const scripts = readdirSync(join(ROOT, "runbooks")).filter((f) => f.endsWith(".ps1")).map((f) => f.replace(/\.ps1$/, ""));
    expect(scripts.sort()).toEqual(runbooks.map((r) => r.name).sort());
    for (const r of runbooks) expect(existsSync(join(ROOT, "runbooks", `${r.name}.ps1`))).toBe(true);
  });

  it("deploy.sh uploads and publishes every runbook the deployment reports, from runbooks/<name>.ps1", () => {
    expect(readBicep("app/automation.bicep")).toMatch(/output runbookNames array = \[for runbook in runbooks: runbook\.name\]/);
    expect(main).toMatch(/output runbookNames array = automation\.outputs\.runbookNames/);
    const loop = /for runbook in \$\(jq -r '\.runbookNames\.value\[\]' "\$outputs"\); do([\s\S]*?)\ndone/.exec(deployScript)?.[1] ?? "";
    expect(loop).toMatch(/az automation runbook replace-content [^\n]*--name "\$runbook" [^\n]*--content @"runbooks\/\$runbook\.ps1"/);
    expect(loop).toMatch(/az automation runbook publish [^\n]*--name "\$runbook"/);
  });
});
