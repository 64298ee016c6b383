/**
 * One webhook per intent, found without a list to keep up to date: each intent's own case file
 * (the first case that expects `succeeded`, runs on the plain demo tenant and injects no fault),
 * sent by the case's requester under the demo deployment's requester policy.
 * An intent with no such case is reported as not benchmarked, never given made-up fields.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { mapFields } from "../engine/language/spec/fields";
import { casesFileFor, loadCaseFile, requesterOf, type IntentCase } from "../engine/tooling/cases";
import { DEMO_POLICY_PATH } from "../sandbox";
import { CASE_SETTINGS } from "../engine/tooling/cases/services";
import type { Catalog, CompiledIntent } from "../engine/index";

/** The cases' settings: what intents read (the sandbox's ARM token goes to the Automation client alone), and the demo deployment's requester policy (as the cases'). */
export const BENCH_SETTINGS: Readonly<Record<string, string>> = { ...CASE_SETTINGS, POLICY_FILE: DEMO_POLICY_PATH };

export interface Workload {
  intent: CompiledIntent;
  /** Thread's intent_fields, label → value. */
  fields: Record<string, unknown>;
  settings: Record<string, string>;
  /** meta_data.contact_email: the case's requester (self-service when it names none). */
  requester: string;
  /** Where the fields came from, for the report. */
  source: string;
}

export interface WorkloadSet {
  workloads: Workload[];
  /** Intent name → why it has no workload. */
  skipped: Record<string, string>;
}

/** A case the demo deployment would run as is: it succeeds on the plain tenant, with no fault and no rule of its own. */
function plainSuccess(c: IntentCase): boolean {
  return c.expect.status === "succeeded" && c.fixture === undefined && (c.faults ?? []).length === 0 && c.policy === undefined;
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
    const mapped = mapFields(intent, chosen.fields);
    if (!mapped.ok) {
      set.skipped[intent.name] = "its first succeeding case's fields do not map";
      continue;
    }
    const requester = requesterOf(intent, chosen, mapped.fields);
    set.workloads.push({ intent, fields: chosen.fields, settings: { ...BENCH_SETTINGS, ...chosen.settings }, requester, source: `${basename(file)}: ${chosen.name}` });
  }
  return set;
}

/** The webhook body Thread would POST for a workload. */
export function webhookBody(workload: Workload, ticketId: number): Record<string, unknown> {
  return {
    intent_name: workload.intent.name,
    intent_fields: workload.fields,
    meta_data: { ticket_id: ticketId, contact_name: "Bench Requester", contact_email: workload.requester, company_name: "Contoso" },
  };
}
