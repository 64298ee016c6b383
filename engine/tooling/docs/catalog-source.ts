/** The catalogue as the permission and docs commands see it, with repository-relative file paths. */
import { dirname, relative } from "node:path";
import { builtinKindSpecs } from "../../kinds";
import { describeRule } from "../../language/policy/compile";
import type { DeploymentPolicy } from "../../language/policy/types";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../language/spec/catalog";
import { ruleFor } from "../../lifecycle/policy/gate";
import type { DocumentedIntent } from "./types";

const REPO_ROOT = dirname(DEFAULT_INTENTS_DIR);

/** Each intent with its file, and, given the deployment's policy, the rule that says who may ask for it. */
export function loadDocumentedIntents(dir?: string, policy?: DeploymentPolicy): DocumentedIntent[] {
  return loadCatalog(builtinKindSpecs(), dir).intents.map((intent) => {
    const rule = policy ? ruleFor(policy, intent) : undefined;
    return {
      ...intent,
      file: relative(REPO_ROOT, intent.file).split("\\").join("/"),
      ...(rule ? { requesters: { rule: describeRule(rule), source: rule.source } } : {}),
    };
  });
}
