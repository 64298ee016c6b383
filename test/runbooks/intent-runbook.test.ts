import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as lintCommand from "../../engine/hosts/cli/commands/lint";
import { createAutomationClient, readAutomationSettings } from "../../engine/clients/arm";
import { execute } from "../../engine/runtime/interpreter";
import type { RunJournal, StepCheckpoint } from "../../engine/runtime/types";
import { loadIntentText } from "../../engine/language/spec/load";
import { runContext, testServices } from "../runtime/services";
import { captured } from "../support/capture-output";
import { convertToSharedYaml } from "../support/convert-to-shared";
import { startArmServer, type ArmServer } from "./support/arm-server";
import { ARM_SETTINGS } from "./support/drive-step";
import { runbookTenant } from "./support/tenant";
import { builtinKindSpecs } from "../../engine/kinds";

const intentYaml = (parameterName?: string) => convertToSharedYaml({ timeoutMs: 60_000, parameterName });

function memoryJournal(): RunJournal & { saved: Record<string, StepCheckpoint> } {
  const saved: Record<string, StepCheckpoint> = {};
  return { saved, load: async () => ({ ...saved }), save: async (stepId, checkpoint) => void (saved[stepId] = checkpoint) };
}

describe("automation:runbook through the linter and the interpreter", () => {
  it("intents lint rejects a misspelt runbook parameter at its line", () => {
    const { intent, diagnostics } = loadIntentText("intents/convert.yaml", intentYaml("UserPrincipleName"), { kinds: builtinKindSpecs() });
    expect(intent).toBeUndefined();
    const runbookFindings = diagnostics.filter((d) => d.code === "SPEC_RUNBOOK_PARAMETER");
    expect(runbookFindings.map((d) => [d.line, d.message])).toEqual([
      [20, "Runbook 'Convert-ToSharedMailbox' has no parameter 'UserPrincipleName'. Did you mean 'UserPrincipalName'?"],
      // The missing one belongs to the parameters map: reported at its key, the line above.
      [19, "Runbook 'Convert-ToSharedMailbox' needs parameter 'UserPrincipalName'."],
    ]);
    expect(runbookFindings[0]!.file).toBe("intents/convert.yaml");
  });

  it("npx intents lint prints the misspelt parameter as file:line:col and exits 1", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "runbook-lint-")), "convert.yaml");
    writeFileSync(file, intentYaml("UserPrincipleName"));
    const { code, out, err } = await captured(() => lintCommand.run([file]));
    expect(code).toBe(1);
    expect(out + err).toMatch(/convert\.yaml:20:\d+ SPEC_RUNBOOK_PARAMETER Runbook 'Convert-ToSharedMailbox' has no parameter 'UserPrincipleName'/);
  });

  describe("against the sandbox ARM API", () => {
    let server: ArmServer;
    beforeEach(async () => {
      server = await startArmServer(runbookTenant());
    });
    afterEach(() => server.close());

    function services() {
      const settings = { ...ARM_SETTINGS, ARM_BASE_URL: server.url };
      return { ...testServices({} as never, settings), automation: createAutomationClient(readAutomationSettings(settings)) };
    }

    it("reports changed, then ok on a second genuine run (the runbook's verdict, not the HTTP status)", async () => {
      const { intent } = loadIntentText("intents/convert.yaml", intentYaml(), { kinds: builtinKindSpecs() });
      const fields = { userEmail: "alex@contoso.com" };
      const first = await execute(intent!, { fields, run: runContext({ runId: "r1" }), services: services() });
      expect(first.status).toBe("succeeded");
      expect(first.steps[0]).toMatchObject({ id: "convert", status: "changed" });
      const second = await execute(intent!, { fields, run: runContext({ runId: "r2" }), services: services() });
      expect(second.steps[0]).toMatchObject({ status: "ok" });
    });

    it("suspends as running past the deadline, then resumes the same job from the journal", async () => {
      server.jobs.addRule({ outcome: "slow", pollsToComplete: 3 });
      const { intent } = loadIntentText("intents/convert.yaml", intentYaml(), { kinds: builtinKindSpecs() });
      const journal = memoryJournal();
      const shared = services();
      const options = { fields: { userEmail: "alex@contoso.com" }, run: runContext({ runId: "r3" }), services: shared, journal };
      const first = await execute(intent!, { ...options, deadline: shared.clock.now() + 1_000 });
      expect(first.status).toBe("running");
      expect(journal.saved.convert?.state).toMatchObject({ jobName: expect.any(String), startedAt: expect.any(Number) });

      const resumed = await execute(intent!, options);
      expect(resumed.status).toBe("succeeded");
      expect(server.jobs.list()).toHaveLength(1);
      expect(server.tenant.users.find((user) => user.id === "u-alex")!.mailbox!.type).toBe("SharedMailbox");
    });

    it("fails the run with RUNBOOK_FAILED and the runbook's reason", async () => {
      server.jobs.addRule({ outcome: "Failed", reason: "The mailbox is on litigation hold." });
      const { intent } = loadIntentText("intents/convert.yaml", intentYaml(), { kinds: builtinKindSpecs() });
      const result = await execute(intent!, { fields: { userEmail: "alex@contoso.com" }, run: runContext({ runId: "r4" }), services: services() });
      expect(result.status).toBe("failed");
      expect(result.steps[0]!.error).toMatchObject({ code: "RUNBOOK_FAILED" });
      expect(result.steps[0]!.error!.message).toContain("litigation hold");
    });
  });
});
