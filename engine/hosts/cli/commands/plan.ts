/**
 * `intents plan <intent-name|file> --input payload.json [--graph-url URL]`: the exact requests a
 * run would send, rendered, secrets masked, for a timed intent when each step would run, and
 * requester policy's decision for the payload's requester. Without --graph-url nothing is sent at
 * all: the outputs of reads show as placeholders and the policy shows its rule and reads; with it,
 * reads are sent and writes only planned. `diff` holds the plan as the run's approver would read it
 * (with a tenant, each change beside the value it replaces); `--diff` prints only that.
 */
import { existsSync, readFileSync } from "node:fs";
import { automationClientFromSettings } from "../../../clients/arm";
import { graphClientFromSettings, type GraphClient } from "../../../clients/graph";
import type { ExchangeClient } from "../../../clients/exchange/types";
import { withExchangeMode } from "../../config";
import { systemClock } from "../../../core/clock";
import { ensureIntentError, IntentError } from "../../../core/errors";
import type { KindSpecs, StepKindRegistry } from "../../../core/step-kind-registry";
import { builtinKinds } from "../../../kinds";
import { execute } from "../../../runtime/interpreter";
import type { EngineServices, RunContext, RunMode, RunResult } from "../../../runtime/types";
import { DEFAULT_INTENTS_DIR, loadCatalog, formatDiagnostic } from "../../../language/spec/catalog";
import { selectCaseFiles } from "../../../tooling/cases";
import { CASE_SETTINGS } from "../../../tooling/cases/services";
import { planStepLine } from "../../../tooling/plan/step-lines";
import { mapFields } from "../../../language/spec/fields";
import { diffLines } from "../../../lifecycle/approval/plan/diff-text";
import { planOf } from "../../../lifecycle/approval/plan/make-plan";
import { withLaterChanges } from "../../../lifecycle/approval/plan/starts-at";
import { loadIntentText } from "../../../language/spec/load";
import type { CompiledIntent } from "../../../language/spec/types";
import { calendarFrom } from "../../../language/time/calendar";
import type { PolicyDecision } from "../../../language/policy/types";
import { refusedResult } from "../../../lifecycle/execute/judge";
import { engineMailboxesOf, judge } from "../../../lifecycle/policy/gate";
import { offlinePolicy, type OfflinePolicy } from "../../../lifecycle/policy/offline";
import { leadingReads } from "../../../runtime/leading-reads";
import { deploymentPolicy } from "../../compose/policy";
import { loadSettings } from "../../config";

export const summary = "Show the exact requests an intent would send for a payload (nothing is changed).";

const USAGE = [
  "usage: intents plan <intent-name|file> --input payload.json [--graph-url URL] [--diff]",
  "       --diff: only the changes, as the approver of the run would read them",
  "       intents plan --cases [--dir intents]   every case's planned requests, offline (for CI and review)",
].join("\n");

export interface CommandArgs {
  target: string;
  input: string;
  graphUrl?: string;
}

/** Parses `<target> --input F [--graph-url U]`; returns a message for bad usage. */
export function parseArgs(args: string[], usage: string): CommandArgs | { usage: string } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--input" || arg === "--graph-url") {
      const value = args[++i];
      if (value === undefined) return { usage: `${arg} needs a value\n${usage}` };
      flags[arg] = value;
    } else if (arg.startsWith("-")) {
      return { usage: `unknown option ${arg}\n${usage}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1 || !flags["--input"]) return { usage };
  return { target: positional[0] as string, input: flags["--input"], ...(flags["--graph-url"] ? { graphUrl: flags["--graph-url"] } : {}) };
}

export function resolveIntent(target: string, kinds: KindSpecs): CompiledIntent {
  if (existsSync(target) && /\.ya?ml$/.test(target)) {
    const loaded = loadIntentText(target, readFileSync(target, "utf8"), { kinds });
    if (!loaded.intent) {
      // The first problem's own code, and every problem as lint prints it.
      const problems = loaded.diagnostics.map(formatDiagnostic);
      throw new IntentError(loaded.diagnostics[0]?.code ?? "SPEC_SCHEMA", `the intent does not load (${problems.length} problem(s); fix them first):\n${problems.join("\n")}`);
    }
    return loaded.intent;
  }
  const catalog = loadCatalog(kinds);
  const intent = catalog.find(target);
  if (!intent) throw new IntentError("INTENT_UNKNOWN", `No intent is named "${target}". Known: ${catalog.supportedNames().join(", ")}.`);
  return intent;
}

/** Accepts a whole Thread webhook payload, or just its `intent_fields` object. */
export function readPayload(file: string, intentName: string): { fields: Record<string, unknown>; run: RunContext } {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new IntentError("WEBHOOK_BAD_JSON", `${file} is not a readable JSON file.`, { cause });
  }
  const fields = (payload.intent_fields ?? payload) as Record<string, unknown>;
  const meta = (payload.meta_data ?? {}) as Record<string, unknown>;
  const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
  return {
    fields,
    run: { runId: `cli-${Date.now()}`, ticketId: text(meta.ticket_id), intentName, contactName: text(meta.contact_name), contactEmail: text(meta.contact_email), companyName: text(meta.company_name) },
  };
}

/**
 * The Graph client the process settings describe (GRAPH_ACCESS_TOKEN for the sandbox, else the
 * deployment's identity), pointed at `url`; the caller closes it so the CLI exits promptly.
 */
export function graphClientFor(url: string): GraphClient & { close(): Promise<void> } {
  return graphClientFromSettings({ ...process.env, GRAPH_BASE_URL: url }, { clock: systemClock });
}

const offlineExchange: ExchangeClient = {
  invoke: () => Promise.reject(new IntentError("INTERNAL", "A plan sends no cmdlet.")),
};

const offlineGraph: GraphClient = {
  request: () => Promise.reject(new IntentError("INTERNAL", "An offline plan sends nothing.")),
  batch: () => Promise.reject(new IntentError("INTERNAL", "An offline plan sends nothing.")),
  getAll: () => Promise.reject(new IntentError("INTERNAL", "An offline plan sends nothing.")),
};

/**
 * The built-in kinds over `graph` (or one that sends nothing), the Exchange admin API and the
 * Automation account the environment names (neither sends anything in a dry run: no listed
 * cmdlet or runbook only reads).
 */
function cliKinds(graph: GraphClient | undefined, exchange: ExchangeClient): StepKindRegistry {
  return builtinKinds({ graph: graph ?? offlineGraph, automation: automationClientFromSettings(process.env), exchange });
}

/** What `plan` and `run` print: the run's result, and requester policy's view of the payload. */
export type PlannedRun = Omit<RunResult, "policy"> & { policy?: PolicyDecision | OfflinePolicy };

/**
 * Requester policy as a webhook would meet it: with a tenant, the requester and target are read
 * and the decision made (a refused live run stops there); offline, the rule and the reads it
 * would send.
 */
export async function runIntent(args: CommandArgs, mode: RunMode, graph: GraphClient | undefined, exchange?: ExchangeClient): Promise<PlannedRun | { errors: string[] }> {
  const kinds = cliKinds(graph, exchange ?? offlineExchange);
  const intent = resolveIntent(args.target, kinds);
  const { fields, run } = readPayload(args.input, intent.name);
  const mapped = mapFields(intent, fields, calendarFrom(process.env));
  if (!mapped.ok) return { errors: mapped.errors.map((e) => `${e.label}: ${e.message}`) };
  const settings = loadSettings(process.env);
  const policy = deploymentPolicy(settings, loadCatalog(kinds), DEFAULT_INTENTS_DIR);
  const intentSettings = withExchangeMode(process.env);
  const services: EngineServices = { kinds, clock: systemClock, settings: intentSettings, events: () => undefined };
  if (!graph) {
    const result = await execute(intent, { fields: mapped.fields, run, services, mode, offline: true });
    return { ...result, policy: offlinePolicy(policy, intent, mapped.fields, run.contactEmail) };
  }
  const judgement = await judge({ policy, graph, engineMailboxes: engineMailboxesOf(settings.plain) }, intent, mapped.fields, run.contactEmail, leadingReads(intent, mapped.fields, run, intentSettings));
  const refused = refusedResult(judgement);
  if (refused && mode === "live") return refused;
  const result = await execute(intent, { fields: mapped.fields, run, services, mode, ...(judgement.prefetched ? { prefetched: judgement.prefetched } : {}) });
  // A refused dry run still shows its plan: what the run would send for a requester who may ask.
  const message = !refused ? result.message : judgement.decision.decision === "approve"
    ? `Requester policy asks for an approval: where approvals are on, the webhook answers 202 awaiting_approval and mails the approvers (policy.approvers) this plan; with them off, it refuses 403 APPROVAL_REQUIRED.`
    : `Requester policy would refuse this run (403 ${refused.error?.code}): ${refused.message} The plan shows what an allowed requester's run would send.`;
  return { ...result, message, policy: judgement.decision };
}

export function printResult(result: PlannedRun | { errors: string[] }): number {
  if ("errors" in result) {
    process.stderr.write(`FIELD_INVALID\n${result.errors.map((e) => `  ${e}`).join("\n")}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.status === "failed" || result.status === "denied" ? 1 : 0;
}

/** `--diff`: only the plan's lines (what the approval page shows), or why there is no plan. */
function printDiff(diff: string[] | undefined, result: PlannedRun): number {
  if (!diff) {
    process.stderr.write(`intents plan: no plan: ${result.error?.code ?? "STEP_FAILED"} ${result.error?.message ?? ""}\n`);
    return 1;
  }
  process.stdout.write(`${diff.join("\n")}\n`);
  return 0;
}

/**
 * Each intent's plan for its first case that is not a field refusal, offline and with the settings
 * cases run with: one line per planned request, so a reviewer sees in CI what each intent would
 * send. Offline, reads answer placeholders, so a later step may not plan; that is reported, not
 * failed. Exit 1 only when a case's fields do not map (the case file is wrong).
 */
async function planCases(dir: string): Promise<number> {
  let problems = 0;
  const kinds = cliKinds(undefined, offlineExchange);
  for (const { intent, cases } of selectCaseFiles(loadCatalog(kinds, dir))) {
    for (const testCase of cases.cases.filter((c) => !c.expect.fieldErrors).slice(0, 1)) {
      const settings = { ...CASE_SETTINGS, ...testCase.settings };
      const mapped = mapFields(intent, (testCase.fields ?? {}) as Record<string, unknown>, calendarFrom(settings));
      if (!mapped.ok) {
        problems++;
        process.stdout.write(`${intent.name} › ${testCase.name}: FIELD_INVALID ${mapped.errors.map((e) => e.label).join(", ")}\n`);
        continue;
      }
      const services: EngineServices = { kinds, clock: systemClock, settings, events: () => undefined };
      const run: RunContext = { runId: "plan", ticketId: "", intentName: intent.name, contactName: "", contactEmail: "", companyName: "" };
      const result = await execute(intent, { fields: mapped.fields, run, services, mode: "dry-run", offline: true });
      const verdict = result.status === "failed" ? `planned up to a step that needs a real answer (${result.error?.code ?? "?"})` : "planned";
      process.stdout.write(`${intent.name} › ${testCase.name}: ${verdict}\n`);
      for (const step of result.steps) process.stdout.write(`  ${planStepLine(step)}\n`);
    }
  }
  return problems === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) return void process.stdout.write(`${USAGE}\n`), 0;
  if (args[0] === "--cases") {
    const dirAt = args.indexOf("--dir");
    const extra = args.filter((arg, i) => i > 0 && arg !== "--dir" && i !== dirAt + 1);
    if (extra.length > 0 || (dirAt > 0 && !args[dirAt + 1])) return void process.stderr.write(`intents plan: ${USAGE}\n`), 2;
    try {
      return await planCases(dirAt > 0 ? (args[dirAt + 1] as string) : DEFAULT_INTENTS_DIR);
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      process.stderr.write(`intents plan: ${error.code} ${error.message}\n`);
      return 2;
    }
  }
  const diffOnly = args.includes("--diff");
  const parsed = parseArgs(args.filter((arg) => arg !== "--diff"), USAGE);
  if ("usage" in parsed) return void process.stderr.write(`intents plan: ${parsed.usage}\n`), 2;
  try {
    const graph = parsed.graphUrl ? graphClientFor(parsed.graphUrl) : undefined;
    try {
      // A dry run sends no write cmdlet, so it needs no Exchange client (the offline one answers reads as planned).
      const result = await runIntent(parsed, "dry-run", graph);
      if ("errors" in result) return printResult(result);
      // The same lines an approver reads; with a tenant, each change beside the value it replaces.
      const planned = await planOf(result, graph);
      const diff = "plan" in planned ? diffLines(withLaterChanges(planned.plan, result.steps, calendarFrom(process.env).timeZone)) : undefined;
      if (diffOnly) return printDiff(diff, result);
      return printResult(diff ? Object.assign(result, { diff }) : result);
    } finally {
      await graph?.close();
    }
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    process.stderr.write(`intents plan: ${error.code} ${error.message}\n`);
    return 1;
  }
}
