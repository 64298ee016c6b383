import { ambientEvents } from "../../core/current-events";
import type { EngineServices } from "../../runtime/types";
import { createAutomationClient } from "./automation-client";
import { readAutomationSettings } from "./settings";
import type { AutomationClient } from "./types";

export { automationErrorStatus, createAutomationClient, type AutomationClientOptions } from "./automation-client";
export { readAutomationSettings, DEFAULT_ARM_BASE_URL } from "./settings";
export { deterministicJobName } from "./job-name";
export { parseRunbookResult, type RunbookResult } from "../../contracts/runbook-result";
export { loadRunbookManifest, type RunbookManifest, type RunbookSpec, type RunbookParameterSpec } from "../../contracts/runbook-manifest";
export type * from "./types";

const fromSettings = new WeakMap<object, AutomationClient>();

/**
 * services.automation when the host built one, otherwise one built from services.settings (once
 * per settings object), so a host only has to set AZURE_SUBSCRIPTION_ID and friends.
 */
export function automationClientFor(services: EngineServices): AutomationClient {
  if (services.automation) return services.automation;
  let client = fromSettings.get(services.settings);
  if (!client) {
    client = createAutomationClient(readAutomationSettings(services.settings), { events: ambientEvents });
    fromSettings.set(services.settings, client);
  }
  return client;
}
