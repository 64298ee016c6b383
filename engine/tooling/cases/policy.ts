/**
 * The requester policy a case runs under: the demo deployment's policy file (the demo tenant's
 * Service Desk, VIP accounts and break-glass account), with the case's own rule for its intent as
 * a policy file's `intents:` entry would give it. Protection of directory-role holders and the
 * engine's mailboxes applies as always.
 */
import { DEMO_POLICY_PATH } from "../../../sandbox";
import type { GraphClient } from "../../clients/graph/types";
import { compileRule } from "../../language/policy/compile";
import { loadDeploymentPolicy } from "../../language/policy/load";
import type { DeploymentPolicy } from "../../language/policy/types";
import { normaliseName } from "../../language/spec/names";
import type { CompiledIntent } from "../../language/spec/types";
import { engineMailboxesOf, type GateSettings } from "../../lifecycle/policy/gate";
import type { IntentCase } from "./types";

let demo: DeploymentPolicy | undefined;

export function caseGate(intent: CompiledIntent, c: IntentCase, settings: Readonly<Record<string, string | undefined>>, graph: GraphClient): GateSettings {
  demo ??= loadDeploymentPolicy(DEMO_POLICY_PATH, true);
  const intents = c.policy ? new Map([[normaliseName(intent.name), compileRule(c.policy, `case policy for ${intent.name}`)]]) : demo.intents;
  return { policy: { ...demo, intents }, graph, engineMailboxes: engineMailboxesOf(settings) };
}
