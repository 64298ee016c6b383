// Azure Automation for what only Exchange Online PowerShell can do. The account's system
// identity connects to Exchange Online (Connect-ExchangeOnline -ManagedIdentity); its Exchange
// permissions are granted by scripts/grant-graph-permissions.ts, not here (they live in Entra).

param location string
param tags object
param automationAccountName string
@description('The tenant\'s initial domain (contoso.onmicrosoft.com) the runbooks connect to.')
param exchangeOrganization string
param exchangeModuleVersion string
@description('One entry per runbook in runbooks/runbooks.json: { name, description }.')
param runbooks array

resource account 'Microsoft.Automation/automationAccounts@2023-11-01' = {
  name: automationAccountName
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    sku: { name: 'Basic' }
    publicNetworkAccess: true
    // No webhooks or account keys: jobs are started over ARM with Entra tokens only.
    disableLocalAuth: true
  }
}

// Pinned: an unpinned gallery URL imports whatever is newest on the day of deployment.
resource exchangeModule 'Microsoft.Automation/automationAccounts/powerShell72Modules@2023-11-01' = {
  parent: account
  name: 'ExchangeOnlineManagement'
  properties: {
    contentLink: {
      uri: 'https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/${exchangeModuleVersion}'
      version: exchangeModuleVersion
    }
  }
}

resource exchangeOrganizationVariable 'Microsoft.Automation/automationAccounts/variables@2023-11-01' = {
  parent: account
  name: 'ExchangeOrganization'
  properties: {
    description: 'Initial domain passed to Connect-ExchangeOnline -Organization'
    isEncrypted: false
    // Automation variables hold JSON: a string value is written with its quotes.
    value: '"${exchangeOrganization}"'
  }
}

// The runbook resources come from the manifest; scripts/deploy.sh uploads each one's .ps1 and
// publishes it (ARM cannot take runbook content inline, only from a public URL).
resource runbookResources 'Microsoft.Automation/automationAccounts/runbooks@2023-11-01' = [
  for runbook in runbooks: {
    parent: account
    name: runbook.name
    location: location
    tags: tags
    properties: {
      runbookType: 'PowerShell72'
      description: runbook.description
      logProgress: false
      logVerbose: false
    }
    dependsOn: [exchangeModule]
  }
]

output name string = account.name
output principalId string = account.identity.principalId
output runbookNames array = [for runbook in runbooks: runbook.name]
