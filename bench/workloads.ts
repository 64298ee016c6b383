/**
 * One webhook per intent, found without a list to keep up to date: each intent's own case file
 * (the first case that expects `succeeded`, runs on the plain demo tenant and injects no fault).
 * An intent with no such case is reported as not benchmarked, never given made-up fields.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { casesFileFor, loadCaseFile, type IntentCase } from "../engine/tooling/cases";
import { CASE_SETTINGS } from "../engine/tooling/cases/services";
import type { Catalog, CompiledIntent } from "../engine/index";

/** The cases' settings: what intents read (the sandbox's ARM token goes to the Automation client alone). */
export const BENCH_SETTINGS: Readonly<Record<string, string>> = { ...CASE_SETTINGS };

export interface Workload {
  intent: CompiledIntent;
  /** Thread's intent_fields, label → value. */
  fields: Record<string, unknown>;
  settings: Record<string, string>;
  /** Where the fields came from, for the report. */
  source: string;
}

export interface WorkloadSet {
  workloads: Workload[];
  /** Intent name → why it has no workload. */
  skipped: Record<string, string>;
}

function plainSuccess(c: IntentCase): boolean {
  return c.expect.status === "succeeded" && c.fixture === undefined && (c.faults ?? []).length === 0;
}

export function workloadsFor(catalog: Catalog): WorkloadSet {
  const set: WorkloadSet = { workloads: [], skipped: {} };
  for (const intent of catalog.intents) {
    const file = casesFileFor(intent);
    if (!existsSync(file)) {
      set.skipped[intent.name] = "no case file";
      continue;
    }
    const chosen = loadCaseFile(file).cases.find(plainSuccess);
    if (!chosen) {
      set.skipped[intent.name] = "no case that succeeds on the plain demo tenant without faults";
      continue;
    }
    set.workloads.push({ intent, fields: chosen.fields, settings: { ...BENCH_SETTINGS, ...chosen.settings }, source: `${basename(file)}: ${chosen.name}` });
  }
  return set;
}

/** The webhook body Thread would POST for a workload. */
export function webhookBody(workload: Workload, ticketId: number): Record<string, unknown> {
  return {
    intent_name: workload.intent.name,
    intent_fields: workload.fields,
    meta_data: { ticket_id: ticketId, contact_name: "Bench Requester", contact_email: "bench@contoso.com", company_name: "Contoso" },
  };
}
