// The Function App on Flex Consumption (Linux, Node 22) with a system-assigned identity. Inbound
// traffic: Thread's egress addresses, then the sources of Graph change notifications when the
// deployment lists any, then deny-all. Access restrictions apply to the whole site (no path
// scope), so a notification source can reach /api/intent as well; the shared secret guards it. The SCM (deployment) site is deny-all apart
// from explicitly listed deployer addresses; scripts/deploy.sh opens its own address for the
// length of a code deployment and closes it again.

param location string
param tags object
param planName string
param functionAppName string
param deploymentContainerUrl string
@description('Every app setting, name → value. Built in main.bicep so one place lists them all.')
param appSettings object
param allowedIpAddresses array
@description('Graph change-notification sources: IPv4 or CIDR. Empty: none.')
param notificationSourceAddresses array
@description('Graph change-notification sources as Azure service tags (AzureCloud, …). Empty: none.')
param notificationSourceServiceTags array
param scmAllowedIpAddresses array
@description('Technicians\' addresses (IPv4 or CIDR) that may open the operator console. Empty: none.')
param consoleAllowedIpAddresses array
@description('Client id of the Entra app registration technicians sign in to the console with. Empty: no App Service Authentication, and the console refuses everyone.')
param consoleClientId string
@description('Object id of the Entra group whose members may use the console.')
param consoleGroupId string
param maximumInstanceCount int
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var threadRules = [
  for (ip, i) in allowedIpAddresses: {
    name: 'Thread-${i + 1}'
    description: 'Thread egress address'
    ipAddress: contains(ip, '/') ? ip : '${ip}/32'
    action: 'Allow'
    priority: 100 + i
  }
]

var notificationAddressRules = [
  for (ip, i) in notificationSourceAddresses: {
    name: 'Graph-notifications-${i + 1}'
    description: 'Microsoft Graph change notifications (POST /api/notifications)'
    ipAddress: contains(ip, '/') ? ip : '${ip}/32'
    action: 'Allow'
    priority: 300 + i
  }
]

var notificationTagRules = [
  for (tag, i) in notificationSourceServiceTags: {
    name: 'Graph-notifications-tag-${i + 1}'
    description: 'Microsoft Graph change notifications (POST /api/notifications)'
    tag: 'ServiceTag'
    ipAddress: tag
    action: 'Allow'
    priority: 400 + i
  }
]

var consoleRules = [
  for (ip, i) in consoleAllowedIpAddresses: {
    name: 'Console-${i + 1}'
    description: 'Technicians (operator console, behind Entra ID sign-in)'
    ipAddress: contains(ip, '/') ? ip : '${ip}/32'
    action: 'Allow'
    priority: 500 + i
  }
]

var scmRules = [
  for (ip, i) in scmAllowedIpAddresses: {
    name: 'Deployer-${i + 1}'
    description: 'Deployment machine'
    ipAddress: contains(ip, '/') ? ip : '${ip}/32'
    action: 'Allow'
    priority: 100 + i
  }
]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: concat(threadRules, notificationAddressRules, notificationTagRules, consoleRules, [
        {
          name: 'Deny-All'
          description: 'Everything not allowed above'
          ipAddress: 'Any'
          action: 'Deny'
          priority: 2147483647
        }
      ])
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Deny'
      scmIpSecurityRestrictions: concat(scmRules, [
        {
          name: 'Deny-All'
          description: 'Deployments come from listed addresses only'
          ipAddress: 'Any'
          action: 'Deny'
          priority: 2147483647
        }
      ])
    }
  }
}

// The operator console's sign-in: App Service Authentication with Entra ID, in front of every
// request. Unauthenticated requests still reach the app (AllowAnonymous): the webhook, its status
// route and Graph's notifications authenticate themselves, and the console's own code refuses any
// request without a principal this front end validated (and sends the browser to
// /.auth/login/aad). Only members of the technician group get a principal at all; the app checks
// the group again. No client secret: sign-in uses the OpenID Connect implicit flow (ID tokens).
resource consoleAuth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(consoleClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: { convention: 'NoProxy' }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [consoleClientId, 'api://${consoleClientId}']
          defaultAuthorizationPolicy: {
            allowedPrincipals: { groups: [consoleGroupId] }
          }
        }
      }
    }
    login: {
      tokenStore: { enabled: false }
      preserveUrlFragmentsForLogins: true
    }
  }
}

// Deployments authenticate with Entra ID; no publishing user name or password exists.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
