import { createAutomationClient, type AutomationClientOptions } from "./automation-client";
import { readAutomationSettings } from "./settings";
import type { AutomationClient } from "./types";

export { automationErrorStatus, createAutomationClient, type AutomationClientOptions } from "./automation-client";
export { readAutomationSettings, DEFAULT_ARM_BASE_URL } from "./settings";
export { deterministicJobName } from "./job-name";
export { parseRunbookResult, type RunbookResult } from "../../contracts/runbook-result";
export { loadRunbookManifest, type RunbookManifest, type RunbookSpec, type RunbookParameterSpec } from "../../contracts/runbook-manifest";
export type * from "./types";

/**
 * The Automation client the settings describe (AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP,
 * AUTOMATION_ACCOUNT_NAME, ARM_BASE_URL, ARM_ACCESS_TOKEN), built on first use: a deployment
 * without an Automation account starts, and a runbook step then fails with CONFIG_MISSING naming
 * what is missing.
 */
export function automationClientFromSettings(settings: Readonly<Record<string, string | undefined>>, options: AutomationClientOptions = {}): AutomationClient {
  let client: AutomationClient | undefined;
  const built = (): AutomationClient => (client ??= createAutomationClient(readAutomationSettings(settings), options));
  return {
    startJob: (...args) => built().startJob(...args),
    getJob: (...args) => built().getJob(...args),
    getJobOutput: (...args) => built().getJobOutput(...args),
  };
}
