// One customer deployment of the intent engine, in the customer's own subscription
// (resource-group scope). scripts/deploy.sh runs this, publishes the code and the runbooks, and
// scripts/grant-graph-permissions.ts grants the tenant-level (Entra) permissions.

targetScope = 'resourceGroup'

@minLength(3)
@maxLength(18)
@description('Short name for this customer deployment; resource names derive from it.')
param appName string

param location string = resourceGroup().location

@description('Thread\'s egress addresses (IPv4 or CIDR); everything else is denied. The defaults are the six addresses the seed deployment allowed: confirm them with Thread before going live.')
param allowedIpAddresses array = [
  '52.70.34.233'
  '3.221.147.202'
  '54.152.112.100'
  '34.226.184.103'
  '52.23.25.207'
  '3.220.225.111'
]

@description('Addresses (IPv4 or CIDR) Microsoft Graph delivers change notifications from, published in "Additional endpoints" of Microsoft 365 URLs and IP address ranges and changed by Microsoft without notice. Empty (with notificationSourceServiceTags empty): Graph cannot reach /api/notifications and event-triggered intents stay off. Access restrictions cannot be scoped to a path: these addresses reach /api/intent too, where the shared secret still guards it.')
param notificationSourceAddresses array = []

@description('Azure service tags (e.g. AzureCloud) allowed in for change notifications, with the same trade-off as notificationSourceAddresses and a far wider audience: every address the tag covers reaches /api/intent, guarded by the shared secret alone.')
param notificationSourceServiceTags array = []

@description('Addresses allowed to reach the SCM (deployment) site permanently. Empty: deny-all; deploy.sh opens its own address only while it deploys.')
param scmAllowedIpAddresses array = []

// The operator console (README: Operator console): technicians sign in with Entra ID.
@description('Client id of the Entra app registration technicians sign in to the operator console with (redirect URI https://<app>.azurewebsites.net/.auth/login/aad/callback, ID tokens on, group claims emitted). Empty: App Service Authentication stays off and the console refuses everyone.')
param consoleClientId string = ''

@description('Object id of the Entra security group whose members may use the operator console.')
param consoleGroupId string = ''

@description('Technicians\' addresses (IPv4 or CIDR) allowed to reach the console. Access restrictions cannot be scoped to a path: these addresses reach /api/intent too, where the shared secret still guards it. Empty: the console is unreachable from outside.')
param consoleAllowedIpAddresses array = []

@description('The tenant\'s initial domain, e.g. contoso.onmicrosoft.com (Exchange Online runbooks connect to it).')
param exchangeOrganization string

@description('Mailbox that sends failure notifications and generated credentials (a licensed or shared mailbox).')
param notificationMailbox string

@description('Comma-separated addresses that receive failure notifications.')
param notificationEmail string

@description('Addresses that receive alert mails (failed runs, poison messages, Graph authentication and subscription failures). Empty: the notificationEmail recipients.')
param alertEmailAddresses array = []

@description('Failed or partial runs within 15 minutes that the run alert tolerates before it fires; 0 fires on any.')
param failedRunAlertThreshold int = 0

@description('Helpdesk address that receives generated credentials (e.g. temporary passwords).')
param helpdeskEmail string

@description('Object id of the group whose members may request destructive intents (delete, offboard, MFA reset) under the built-in requester rules. Empty: those always need an approval. A policy.yaml shipped beside intents/ can say otherwise.')
param authorisedRequestersGroup string = ''

@description('Usage location given to new users when the request has none (ISO 3166 alpha-2).')
param defaultUsageLocation string = 'US'

// Scheduled runs (README: Scheduled runs): the timer that starts them runs every minute in code.
@description('The tenant\'s time zone, an IANA name (Europe/London, America/New_York): dates in requests are read in it and scheduled runs start by its clock, across daylight-saving changes.')
param tenantTimeZone string = 'UTC'

@description('How Thread\'s forms write numeric dates: DMY (18/12/2026) or MDY (12/18/2026).')
@allowed(['DMY', 'MDY'])
param tenantDateOrder string = 'DMY'

@description('How many days ahead a request may be scheduled; a later date is refused with 422.')
@minValue(1)
param scheduleHorizonDays int = 180

@description('ExchangeOnlineManagement version imported into Automation for the PowerShell 7.2 runtime. Pinned so a deployment never picks up an untested release; raise it deliberately after a test job.')
param exchangeModuleVersion string = '3.4.0'

@secure()
@description('Only on the first deployment or a rotation: the webhook shared secret to store in Key Vault. deploy.sh generates it; empty keeps the stored one.')
param intentSharedSecret string = ''

@secure()
@description('Only on the first deployment: the key approval links are signed with, stored in Key Vault. deploy.sh generates it; empty keeps the stored one.')
param approvalSigningKey string = ''

@description('Object id of the deploying user, granted read access to the shared secret. Empty: nobody.')
param operatorPrincipalId string = ''

@description('Microsoft Graph base URL with version; change only for a national cloud (https://graph.microsoft.us/v1.0).')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('How Exchange intents reach Exchange Online: api (the Exchange admin API from the Function App, seconds; the default) or runbook (Azure Automation runbooks, the documented route; a job takes 30 s to minutes). deploy.sh grants Exchange.ManageAsApp and the Exchange role to the identity that route uses.')
@allowed(['api', 'runbook'])
param exchangeMode string = 'api'

@description('Exchange Online host for the admin API; change only for a national cloud (e.g. https://outlook.office365.us).')
param exchangeBaseUrl string = 'https://outlook.office365.com'

// Reporting back (README: Reporting back). Each PSA's API secret goes in the Key Vault, never here.
@description('The PSA the tickets live in; empty posts no notes. Put its secret in the Key Vault: CONNECTWISE-PRIVATE-KEY, AUTOTASK-SECRET or HALOPSA-CLIENT-SECRET.')
@allowed(['', 'connectwise', 'autotask', 'halopsa'])
param psaKind string = ''

@description('ConnectWise Manage REST base URL with your site and codebase, e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0.')
param connectWiseBaseUrl string = ''
@description('ConnectWise company id (the one you sign in with).')
param connectWiseCompanyId string = ''
@description('Public key of the API member\'s key pair (the private key goes in the Key Vault).')
param connectWisePublicKey string = ''
@description('The integration\'s clientId GUID from developer.connectwise.com.')
param connectWiseClientId string = ''

@description('Autotask API user (API User (system) security level).')
param autotaskUserName string = ''
@description('Autotask API tracking identifier (integration code).')
param autotaskIntegrationCode string = ''
@description('The zone\'s ATServicesRest URL; empty asks Autotask\'s zoneInformation once.')
param autotaskApiBaseUrl string = ''
@description('Autotask TicketNotes picklist values for this instance (TicketNotes/entityInformation/fields).')
param autotaskNoteType string = '1'
param autotaskPublishInternal string = '2'
param autotaskPublishCustomer string = '1'

@description('HaloPSA instance URL, e.g. https://contoso.halopsa.com.')
param haloBaseUrl string = ''
@description('HaloPSA authorisation server; empty = {haloBaseUrl}/auth.')
param haloAuthUrl string = ''
@description('HaloPSA tenant name (hosted instances).')
param haloTenant string = ''
@description('Client ID of the HaloPSA API application (Client ID and Secret (Services)).')
param haloClientId string = ''
@description('HaloPSA outcome names for the internal and the customer-visible note.')
param haloOutcomeInternal string = 'Private Note'
param haloOutcomeCustomer string = 'Public Note'

@description('Mail the requester (from notificationMailbox) when a run that answered 202 finishes, is decided or is cancelled on request.')
param reportRequesterEmail bool = false

@description('Outbound webhook for every reported state (https); its signing key goes in the Key Vault as REPORT-WEBHOOK-SECRET. Empty: none.')
param reportWebhookUrl string = ''

param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048
param tags object = {}

var suffix = uniqueString(resourceGroup().id, appName)
var names = {
  functionApp: '${appName}-func-${take(suffix, 6)}'
  plan: '${appName}-plan'
  storage: take(toLower('${replace(take(appName, 10), '-', '')}st${suffix}'), 24)
  keyVault: '${take(appName, 14)}-kv-${take(suffix, 6)}'
  workspace: '${appName}-law'
  appInsights: '${appName}-appi'
  automation: '${appName}-auto'
  actionGroup: '${appName}-alerts'
}
// The name engine/hosts/config.ts reads from the vault (keyVaultName('INTENT_SHARED_SECRET')).
var sharedSecretName = 'INTENT-SHARED-SECRET'
// The name the app reads approvals' signing key under (keyVaultName('APPROVAL_SIGNING_KEY')).
var approvalKeyName = 'APPROVAL-SIGNING-KEY'
// environment().resourceManager ends with '/'; the ARM client expects an origin.
var resourceManager = environment().resourceManager
var armBaseUrl = endsWith(resourceManager, '/') ? substring(resourceManager, 0, length(resourceManager) - 1) : resourceManager
var deploymentContainerName = 'app-package'
var allTags = union(tags, { app: 'm365-intent-engine', customer: appName })

// The runbook manifest is the single list of runbooks: adding one there adds it here.
var runbookManifest = loadJsonContent('../runbooks/runbooks.json')
var runbooks = [for runbook in items(runbookManifest.runbooks): { name: runbook.key, description: runbook.value.description }]

// The app's own tables and queues: the run store and continuation queue (engine/hosts/compose/pipeline.ts,
// engine/lifecycle/store), the change notifications' subscriptions, member snapshots and queue
// (engine/inbound/notifications) and the report outbox and its queue (engine/lifecycle/report),
// each queue with the poison queue the Functions queue trigger moves failing messages to. Created here so a missing role or name shows at deployment, not at the
// first notification.
// The operator console's run index, kept requests of failed runs, action log and health notes
// (engine/lifecycle/store/run-index.ts, kept-requests.ts, engine/lifecycle/runs/), the approvals
// runs wait in (engine/lifecycle/approval/store.ts), and the runs' snapshots for their undo.
var tableNames = ['intentruns', 'intentrunsteps', 'graphsubscriptions', 'graphmembersnapshots', 'reportoutbox', 'intentrunindex', 'intentrunrequests', 'intentconsoleactions', 'intenthealth', 'intentapprovals', 'intentrunsnapshots', 'intentrunsnapshotitems']
var queueNames = ['intent-runs', 'intent-runs-poison', 'graph-notifications', 'graph-notifications-poison', 'intent-reports', 'intent-reports-poison']

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: allTags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: allTags
    namePrefix: appName
    workspaceName: monitoring.outputs.workspaceName
    actionGroupName: names.actionGroup
    emailAddresses: empty(alertEmailAddresses) ? filter(map(split(notificationEmail, ','), address => trim(address)), address => !empty(address)) : alertEmailAddresses
    failedRunThreshold: failedRunAlertThreshold
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: allTags
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
    queueNames: queueNames
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    tags: allTags
    keyVaultName: names.keyVault
    sharedSecretName: sharedSecretName
    sharedSecretValue: intentSharedSecret
    approvalKeyName: approvalKeyName
    approvalKeyValue: approvalSigningKey
  }
}

module automation 'app/automation.bicep' = {
  name: 'automation'
  params: {
    location: location
    tags: allTags
    automationAccountName: names.automation
    exchangeOrganization: exchangeOrganization
    exchangeModuleVersion: exchangeModuleVersion
    runbooks: runbooks
  }
}

// Every setting engine/hosts/config.ts reads, and nothing secret. The shared secret stays in Key Vault:
// the app reads INTENT-SHARED-SECRET from KEY_VAULT_URL with its identity and fails closed. An
// app-setting Key Vault reference would not: when it cannot resolve (role not yet effective,
// secret missing) App Service passes the literal "@Microsoft.KeyVault(...)" text on as the value.
// Storage and telemetry authenticate with the managed identity.
var appSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  KEY_VAULT_URL: keyVault.outputs.vaultUri
  GRAPH_BASE_URL: graphBaseUrl
  EXCHANGE_MODE: exchangeMode
  EXCHANGE_BASE_URL: exchangeBaseUrl
  EXCHANGE_TENANT_ID: tenant().tenantId
  ARM_BASE_URL: armBaseUrl
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  AZURE_RESOURCE_GROUP: resourceGroup().name
  AUTOMATION_ACCOUNT_NAME: automation.outputs.name
  NOTIFICATION_MAILBOX: notificationMailbox
  NOTIFICATION_EMAIL: notificationEmail
  // Intents send mail (generated credentials) from the same mailbox as the notifications.
  MAIL_SENDER: notificationMailbox
  HELPDESK_EMAIL: helpdeskEmail
  DEFAULT_USAGE_LOCATION: defaultUsageLocation
  // Scheduled runs: the tenant's calendar, and how far ahead a run may wait.
  TENANT_TIME_ZONE: tenantTimeZone
  TENANT_DATE_ORDER: tenantDateOrder
  SCHEDULE_HORIZON_DAYS: string(scheduleHorizonDays)
  AUTHORISED_REQUESTERS_GROUP: authorisedRequestersGroup
  // Run budgets and leases: engine/hosts/config.ts's defaults, written out so operators see and tune them.
  RUN_BUDGET_MS: '5000'
  CONTINUATION_BUDGET_MS: '240000'
  GRAPH_CONCURRENCY: '32'
  BODY_TIMEOUT_MS: '10000'
  RUN_LEASE_MS: '60000'
  // How long past its lease's end a running run waits before the sweepAbandonedRuns timer (every five minutes, in code) resumes it.
  ABANDONED_RUN_GRACE_MS: '600000'
  // How often a run whose instance stopped under it (killed, crashed) is taken over and run again; the next time it ends failed.
  ABANDONED_RUN_MAX_TAKEOVERS: '3'
  MAX_DEQUEUE_COUNT: '5'
  SECRET_CACHE_MS: '300000'
  // Approvals: how long an approver may take (hours). Links are signed with APPROVAL-SIGNING-KEY from
  // the vault and point at the site's own host name (WEBSITE_HOSTNAME).
  APPROVAL_LIFETIME_HOURS: '24'
  // How long a run's snapshot (the state it changed, for its undo) is kept, in days.
  SNAPSHOT_RETENTION_DAYS: '90'
  // Reporting back: where notes go, what else is sent, how long the outbox keeps trying.
  PSA_KIND: psaKind
  CONNECTWISE_BASE_URL: connectWiseBaseUrl
  CONNECTWISE_COMPANY_ID: connectWiseCompanyId
  CONNECTWISE_PUBLIC_KEY: connectWisePublicKey
  CONNECTWISE_CLIENT_ID: connectWiseClientId
  AUTOTASK_USERNAME: autotaskUserName
  AUTOTASK_INTEGRATION_CODE: autotaskIntegrationCode
  AUTOTASK_API_BASE_URL: autotaskApiBaseUrl
  AUTOTASK_NOTE_TYPE: autotaskNoteType
  AUTOTASK_PUBLISH_INTERNAL: autotaskPublishInternal
  AUTOTASK_PUBLISH_CUSTOMER: autotaskPublishCustomer
  HALOPSA_BASE_URL: haloBaseUrl
  HALOPSA_AUTH_URL: haloAuthUrl
  HALOPSA_TENANT: haloTenant
  HALOPSA_CLIENT_ID: haloClientId
  HALOPSA_OUTCOME_INTERNAL: haloOutcomeInternal
  HALOPSA_OUTCOME_CUSTOMER: haloOutcomeCustomer
  REPORT_REQUESTER_EMAIL: reportRequesterEmail ? 'true' : 'false'
  REPORT_WEBHOOK_URL: reportWebhookUrl
  REPORT_MAX_ATTEMPTS: '48'
  // The operator console: who may sign in (the app checks the group claim App Service passes on).
  CONSOLE_GROUP_ID: consoleGroupId
}

module functionApp 'app/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    tags: allTags
    planName: names.plan
    functionAppName: names.functionApp
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: appSettings
    allowedIpAddresses: allowedIpAddresses
    notificationSourceAddresses: notificationSourceAddresses
    notificationSourceServiceTags: notificationSourceServiceTags
    scmAllowedIpAddresses: scmAllowedIpAddresses
    consoleAllowedIpAddresses: consoleAllowedIpAddresses
    consoleClientId: consoleClientId
    consoleGroupId: consoleGroupId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    functionPrincipalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    automationAccountName: automation.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    operatorPrincipalId: operatorPrincipalId
  }
}

// Names and principal ids only: no key, connection string or secret leaves the deployment.
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/intent'
// Where Graph delivers change notifications; the app derives the same URL from WEBSITE_HOSTNAME.
output notificationUrl string = 'https://${functionApp.outputs.defaultHostName}/api/notifications'
output notificationsReachable bool = !empty(notificationSourceAddresses) || !empty(notificationSourceServiceTags)
output functionAppName string = functionApp.outputs.name
output functionPrincipalId string = functionApp.outputs.principalId
output automationAccountName string = automation.outputs.name
output automationPrincipalId string = automation.outputs.principalId
output exchangeMode string = exchangeMode
output keyVaultName string = keyVault.outputs.name
output sharedSecretName string = sharedSecretName
output storageAccountName string = storage.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
output runbookNames array = automation.outputs.runbookNames
output tenantId string = tenant().tenantId
output mailScopeGroup string = mailScopeGroup
output consoleUrl string = 'https://${functionApp.outputs.defaultHostName}/api/console'
output consoleSignInRedirectUri string = 'https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback'

