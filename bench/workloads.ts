/**
 * One webhook per shipped intent, found without a list to keep up to date: each intent's own case
 * file (the first case that expects `succeeded`, runs on the plain demo tenant and injects no
 * fault). An intent with no such case is reported as not benchmarked, never given made-up fields.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { parse } from "yaml";
import type { Catalog, CompiledIntent } from "../engine/index";

/** Settings every benchmarked run gets; a case's own settings override them. */
export const BENCH_SETTINGS: Readonly<Record<string, string>> = {
  HELPDESK_EMAIL: "helpdesk@contoso.com",
  MAIL_SENDER: "reception@contoso.com",
  DEFAULT_USAGE_LOCATION: "US",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-4000-8000-00000000c0de",
  AZURE_RESOURCE_GROUP: "rg-intents-sandbox",
  AUTOMATION_ACCOUNT_NAME: "aa-intents-sandbox",
  ARM_ACCESS_TOKEN: "sandbox-arm-token",
};

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

interface CaseLike {
  name?: string;
  fields?: Record<string, unknown>;
  settings?: Record<string, string>;
  fixture?: unknown;
  faults?: unknown[];
  expect?: { status?: string };
}

/** The case file an intent names with `cases:`, else `cases/<file>.cases.yaml` beside it. */
function caseFileOf(intent: CompiledIntent): string | undefined {
  const intentFile = resolve(intent.file);
  const declared = (parse(readFileSync(intentFile, "utf8")) as { cases?: unknown } | null)?.cases;
  const candidates = [
    ...(typeof declared === "string" ? [resolve(dirname(intentFile), declared)] : []),
    resolve(dirname(intentFile), "cases", basename(intentFile).replace(/\.ya?ml$/, ".cases.yaml")),
  ];
  return candidates.find((path) => existsSync(path));
}

function plainSuccess(c: CaseLike): boolean {
  return c.expect?.status === "succeeded" && c.fixture === undefined && (c.faults ?? []).length === 0 && typeof c.fields === "object";
}

export function workloadsFor(catalog: Catalog): WorkloadSet {
  const set: WorkloadSet = { workloads: [], skipped: {} };
  for (const intent of catalog.intents) {
    const file = caseFileOf(intent);
    if (!file) {
      set.skipped[intent.name] = "no case file";
      continue;
    }
    const cases = ((parse(readFileSync(file, "utf8")) as { cases?: CaseLike[] } | null)?.cases ?? []);
    const chosen = cases.find(plainSuccess);
    if (!chosen) {
      set.skipped[intent.name] = "no case that succeeds on the plain demo tenant without faults";
      continue;
    }
    set.workloads.push({
      intent,
      fields: chosen.fields ?? {},
      settings: { ...BENCH_SETTINGS, ...chosen.settings },
      source: `${basename(file)}: ${chosen.name ?? "(unnamed)"}`,
    });
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
