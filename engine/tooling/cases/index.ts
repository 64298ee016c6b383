/**
 * `intents test`: every intent's own cases against the sandbox. An intent's cases live beside it
 * in intents/cases/<intent file name>.cases.yaml, or where its `cases:` key says.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { IntentError } from "../../core/errors";
import type { Catalog, CompiledIntent } from "../../language/spec/types";
import { parse } from "yaml";
import { casesPathFor, loadCaseFile } from "./load";
import { runCase, type CaseTrace } from "./run";
import type { CaseFile, CaseOutcome } from "./types";

export type { CaseTrace } from "./run";
export type * from "./types";
export { requesterOf, runCase } from "./run";
export { loadCaseFile } from "./load";

/** The intent's `cases:` path (relative to its file) when it declares one, else cases/<file>.cases.yaml beside it. */
export function casesFileFor(intent: CompiledIntent): string {
  const declared = (parse(readFileSync(intent.file, "utf8")) as { cases?: unknown } | null)?.cases;
  if (typeof declared === "string") return casesPathFor(intent.file, declared);
  return resolve(dirname(intent.file), "cases", `${basename(intent.file).replace(/\.ya?ml$/, "")}.cases.yaml`);
}

/** The intents named (all when none), each with its case file; an unknown name or a missing file is an error. */
export function selectCaseFiles(catalog: Catalog, names: string[] = []): Array<{ intent: CompiledIntent; cases: CaseFile }> {
  const intents = names.length === 0 ? [...catalog.intents] : names.map((name) => {
    const intent = catalog.find(name);
    if (!intent) throw new IntentError("INTENT_UNKNOWN", `No intent is named "${name}". Known: ${catalog.supportedNames().join(", ")}.`);
    return intent;
  });
  return intents.map((intent) => {
    const path = casesFileFor(intent);
    if (!existsSync(path)) throw new IntentError("SPEC_CASE_INVALID", `${intent.name} has no cases: ${path} is missing.`);
    const cases = loadCaseFile(path);
    if (catalog.find(cases.intent) !== intent) throw new IntentError("SPEC_CASE_INVALID", `${path} is for "${cases.intent}", not ${intent.name}.`);
    return { intent, cases };
  });
}

/** Runs the cases one after another, reporting each as it finishes. */
export async function runCaseFiles(
  selected: Array<{ intent: CompiledIntent; cases: CaseFile }>,
  onCase: (outcome: CaseOutcome, trace: CaseTrace) => void = () => undefined,
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const { intent, cases } of selected) {
    for (const c of cases.cases) {
      const { outcome, trace } = await runCase(intent, c);
      outcomes.push(outcome);
      onCase(outcome, trace);
    }
  }
  return outcomes;
}
