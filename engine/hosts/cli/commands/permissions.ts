/** `intents permissions`: the least-privilege set the intents (and approvals) need, and which intent needs what. */
import { parseArgs } from "node:util";
import { builtinKindSpecs } from "../../../kinds";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../../language/spec/catalog";
import { ruleFor } from "../../../lifecycle/policy/gate";
import { loadDocumentedIntents } from "../../../tooling/docs/catalog-source";
import { approvalNeeds, type FeatureNeed } from "../../../tooling/permissions/approval-permissions";
import { computePermissions } from "../../../tooling/permissions/permissions";
import { POLICY_NEEDS } from "../../../tooling/permissions/policy-permissions";
import { formatPermissionsText } from "../../../tooling/permissions/permissions-text";
import { deploymentPolicy } from "../../compose/policy";
import { loadSettings } from "../../config";

export const summary = "Print the least-privilege Graph permissions and Entra/Exchange roles the intents, requester policy and approvals need (--json for scripts).";

const USAGE = "usage: intents permissions [--json] [--dir <intents folder>] [--policy <policy file>] [--no-approvals]\n";

/**
 * What approvals need under the deployment's requester policy (--policy, else POLICY_FILE, else
 * policy.yaml beside the intents folder, else the built-in rules): the rule each intent is judged by.
 */
function approvalsNeeds(dir: string, policyFile: string | undefined): FeatureNeed[] {
  const catalog = loadCatalog(builtinKindSpecs(), dir);
  const policy = deploymentPolicy(loadSettings(policyFile ? { ...process.env, POLICY_FILE: policyFile } : process.env), catalog, dir);
  return approvalNeeds(catalog.intents.map((intent) => ruleFor(policy, intent)));
}

export async function run(args: string[]): Promise<number> {
  let values: { json?: boolean; dir?: string; policy?: string; "no-approvals"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        json: { type: "boolean" }, dir: { type: "string" }, policy: { type: "string" }, "no-approvals": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`intents permissions: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Approvals are on wherever APPROVAL_SIGNING_KEY is set, which the deploy script always does.
  // Requester policy judges every webhook run; approvals ask only where a rule ends in one.
  const features = [...POLICY_NEEDS, ...(values["no-approvals"] ? [] : approvalsNeeds(values.dir ?? DEFAULT_INTENTS_DIR, values.policy))];
  const set = computePermissions(loadDocumentedIntents(values.dir), features);
  process.stdout.write(values.json ? `${JSON.stringify(set, null, 2)}\n` : formatPermissionsText(set));
  return 0;
}
