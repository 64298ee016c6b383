/**
 * `intents plan` without a tenant plans every step of every shipped intent: what only a read would
 * answer flows on as a stand-in (`<steps.lookup.output.userId>`), through lists and typed slots,
 * so no case's plan stops at a step that needs a real answer.
 */
import { describe, expect, it } from "vitest";
import { systemClock } from "../../engine/core/clock";
import { IntentError } from "../../engine/core/errors";
import { loadCatalog } from "../../engine/index";
import { automationClientFromSettings } from "../../engine/clients/arm";
import { builtinKinds } from "../../engine/kinds";
import { mapFields } from "../../engine/language/spec/fields";
import { execute } from "../../engine/runtime/interpreter";
import type { EngineServices } from "../../engine/runtime/types";
import { selectCaseFiles } from "../../engine/tooling/cases";
import { CASE_SETTINGS } from "../../engine/tooling/cases/services";

const nothingSent = (): Promise<never> => Promise.reject(new IntentError("INTERNAL", "An offline plan sends nothing."));

const kinds = builtinKinds({ graph: { request: nothingSent, batch: nothingSent, getAll: nothingSent }, automation: automationClientFromSettings({}) });

describe("an offline plan of every shipped intent", () => {
  for (const { intent, cases } of selectCaseFiles(loadCatalog(kinds))) {
    it(`${intent.name}: every case with valid fields plans every step`, async () => {
      for (const testCase of cases.cases.filter((c) => !c.expect.fieldErrors)) {
        const mapped = mapFields(intent, testCase.fields as Record<string, unknown>);
        expect(mapped.ok, testCase.name).toBe(true);
        if (!mapped.ok) continue;
        const services: EngineServices = {
          kinds,
          clock: systemClock,
          settings: { ...CASE_SETTINGS, ...testCase.settings },
          events: () => undefined,
        };
        const run = { runId: "plan", ticketId: "T-1", intentName: intent.name, contactName: "", contactEmail: "", companyName: "" };
        const result = await execute(intent, { fields: mapped.fields, run, services, mode: "dry-run", offline: true });
        expect(result.steps.filter((s) => s.status === "failed").map((s) => `${s.id}: ${s.error?.message}`), `${intent.name} › ${testCase.name}`).toEqual([]);
        // Stand-ins stay readable in typed slots: never percent-encoded.
        expect(JSON.stringify(result.steps.map((s) => s.planned))).not.toMatch(/%3C/);
      }
    });
  }
});
