// Key Vault in RBAC mode with purge protection. It holds the webhook's shared secret and the key
// approval links are signed with, which the Function App reads with its managed identity (Key
// Vault Secrets User), never from an app setting.

param location string
param tags object
param keyVaultName string
param sharedSecretName string

@secure()
@description('Set only on the first deployment or a rotation (scripts/deploy.sh decides); empty leaves the stored secret untouched.')
param sharedSecretValue string = ''
param approvalKeyName string

@secure()
@description('Set only on the first deployment (scripts/deploy.sh decides); empty leaves the stored key untouched.')
param approvalKeyValue string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource sharedSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sharedSecretValue)) {
  parent: vault
  name: sharedSecretName
  properties: {
    value: sharedSecretValue
    contentType: 'text/plain'
    attributes: { enabled: true }
  }
}

resource approvalKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(approvalKeyValue)) {
  parent: vault
  name: approvalKeyName
  properties: {
    value: approvalKeyValue
    contentType: 'text/plain'
    attributes: { enabled: true }
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
