import { IntentError } from "../../core/errors";
import type { AutomationAccountSettings } from "./types";

export const DEFAULT_ARM_BASE_URL = "https://management.azure.com";

const REQUIRED = ["AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP", "AUTOMATION_ACCOUNT_NAME"] as const;

/** Reads the Automation account's coordinates; names every missing setting at once. */
export function readAutomationSettings(settings: Readonly<Record<string, string | undefined>>): AutomationAccountSettings {
  const missing = REQUIRED.filter((name) => !settings[name]?.trim());
  if (missing.length > 0) {
    throw new IntentError("CONFIG_MISSING", `Azure Automation is not configured: ${missing.join(", ")} missing.`, {
      fix: "Set AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AUTOMATION_ACCOUNT_NAME in the app settings.",
      details: { missing },
    });
  }
  const accessToken = settings.ARM_ACCESS_TOKEN?.trim();
  return {
    subscriptionId: settings.AZURE_SUBSCRIPTION_ID!.trim(),
    resourceGroup: settings.AZURE_RESOURCE_GROUP!.trim(),
    accountName: settings.AUTOMATION_ACCOUNT_NAME!.trim(),
    baseUrl: (settings.ARM_BASE_URL?.trim() || DEFAULT_ARM_BASE_URL).replace(/\/+$/, ""),
    ...(accessToken ? { accessToken } : {}),
  };
}
