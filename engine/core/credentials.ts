/**
 * Which settings no template may ever read. The engine's own credentials (the webhook's shared
 * secret, the Graph, ARM and PSA credentials with the user names and ids sent beside them, storage
 * and telemetry connection strings) are not template-visible at all, under `settings` or `secrets`.
 * Any other setting whose name says it is a secret may be read only through an intent's `secrets`
 * declaration (which the host reads under names of their own, INTENT_SECRET_…), and only where a
 * step kind takes a secret. A new credential the engine reads belongs in CREDENTIAL_SETTINGS.
 */
export const CREDENTIAL_SETTINGS: ReadonlySet<string> = new Set([
  "INTENT_SHARED_SECRET",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_FEDERATED_TOKEN_FILE",
  "GRAPH_ACCESS_TOKEN",
  "ARM_ACCESS_TOKEN",
  "EXCHANGE_ACCESS_TOKEN",
  "IDENTITY_HEADER",
  "MSI_SECRET",
  "AzureWebJobsStorage",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "CONNECTWISE_PRIVATE_KEY",
  "CONNECTWISE_PUBLIC_KEY",
  "CONNECTWISE_COMPANY_ID",
  "CONNECTWISE_CLIENT_ID",
  "AUTOTASK_SECRET",
  "AUTOTASK_USERNAME",
  "AUTOTASK_INTEGRATION_CODE",
  "HALOPSA_CLIENT_SECRET",
  "HALOPSA_CLIENT_ID",
  "REPORT_WEBHOOK_SECRET",
  "APPROVAL_SIGNING_KEY",
]);

/** Names that say "secret": …SECRET…, …TOKEN…, …PASSWORD…, …CONNECTION_STRING…, …CREDENTIAL…, …_KEY, …APIKEY. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|CONNECTION_?STRING|CREDENTIAL|(?:^|_)(?:API_?)?KEY$|APIKEY/i;

export function isCredentialSetting(name: string): boolean {
  return CREDENTIAL_SETTINGS.has(name) || name.startsWith("AzureWebJobsStorage");
}

/** True for a setting a template may read as plain text (`{{settings.NAME}}`). */
export function isPlainSetting(name: string): boolean {
  return !isCredentialSetting(name) && !SECRET_NAME.test(name);
}
