/**
 * Requester policy for a host: the deployment's policy file (POLICY_FILE, or policy.yaml beside the
 * intents folder, or the built-in rules), checked against the catalogue, and the engine's own
 * mailboxes, which are always protected.
 */
import type { GraphClient } from "../../clients/graph/types";
import { loadDeploymentPolicy, policyPathFor } from "../../language/policy/load";
import { normaliseName } from "../../language/spec/names";
import type { DeploymentPolicy } from "../../language/policy/types";
import type { Catalog } from "../../language/spec/types";
import { engineMailboxesOf, type GateSettings } from "../../lifecycle/policy/gate";
import type { AppSettings } from "../config";

/** The deployment's policy: POLICY_FILE, else policy.yaml beside the intents folder, else the built-in rules. */
export function deploymentPolicy(settings: AppSettings, catalog: Catalog, intentsDir: string): DeploymentPolicy {
  const path = settings.policyFile ?? policyPathFor(intentsDir);
  return loadDeploymentPolicy(path, settings.policyFile !== undefined, {
    resolveIntent: (name) => catalog.find(normaliseName(name))?.name,
    ...(settings.authorisedRequestersGroup ? { authorisedGroup: settings.authorisedRequestersGroup } : {}),
  });
}

export function policyGate(settings: AppSettings, catalog: Catalog, intentsDir: string, graph: GraphClient): GateSettings {
  return { policy: deploymentPolicy(settings, catalog, intentsDir), graph, engineMailboxes: engineMailboxesOf(settings.plain) };
}
