/** Reads an intent's case file and checks it against schemas/intent-cases.schema.json. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import casesSchema from "../../../schemas/intent-cases.schema.json";
import { IntentError } from "../../core/errors";
import { ruleProblems } from "../../language/policy/load";
import { compileSchema } from "../../language/spec/validate";
import type { CaseFile, IntentCase } from "./types";

const validateCases = compileSchema(casesSchema);

/** Where an intent's `cases:` path points, relative to the intent file. */
export function casesPathFor(intentFile: string, casesRef: string): string {
  return resolve(dirname(intentFile), casesRef);
}

export function loadCaseFile(path: string): CaseFile {
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new IntentError("SPEC_CASE_INVALID", `${path}: cannot read the case file (${(error as Error).message}).`);
  }
  if (!validateCases(document)) {
    const problems = (validateCases.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    throw new IntentError("SPEC_CASE_INVALID", `${path}: ${problems.join("; ")}`);
  }
  const file = document as { intent: string; cases: IntentCase[] };
  const names = new Set<string>();
  for (const c of file.cases) {
    const problems = c.policy === undefined ? [] : ruleProblems(c.policy);
    if (problems.length > 0) throw new IntentError("SPEC_CASE_INVALID", `${path}: case "${c.name}": policy: ${problems.slice(0, 3).join("; ")}`);
    if (names.has(c.name)) throw new IntentError("SPEC_CASE_INVALID", `${path}: two cases are named "${c.name}".`);
    names.add(c.name);
  }
  return { intent: file.intent, file: path, cases: file.cases };
}
