<#
.SYNOPSIS
    Scopes the Function App's mail permissions with Exchange Online RBAC for Applications:
    Mail.Send to the notification mailbox only, MailboxSettings.ReadWrite to the direct members of
    one mail-enabled security group.
.DESCRIPTION
    Run by scripts/deploy.sh --mail-scope GROUP (PowerShell 7, ExchangeOnlineManagement 3.x), as an
    Exchange administrator (Organization Management). Safe to run again: what exists is updated,
    nothing is created twice.

    Exchange RBAC grants add to what Entra ID grants; they cannot narrow it. The scoping takes
    effect only once the tenant-wide Entra grants of the same permissions are gone, which
    deploy.sh does right after this script (grant-graph-permissions.ts --exchange-scoped).

    Group membership is read directly: members of nested groups are not in scope.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$AppId,
    [Parameter(Mandatory = $true)]
    [string]$ServicePrincipalId,
    [Parameter(Mandatory = $false)]
    [string]$MailSendMailbox = '',
    [Parameter(Mandatory = $false)]
    [string]$MailboxSettingsGroup = '',
    [Parameter(Mandatory = $false)]
    [string]$DisplayName = 'm365-intent-engine',
    [Parameter(Mandatory = $false)]
    [string]$DelegatedOrganization = ''
)

$ErrorActionPreference = 'Stop'

# OPATH string literal: single quotes doubled.
function Format-Literal([string]$Value) { "'" + $Value.Replace("'", "''") + "'" }

# A management scope with this filter, and the app's assignment of the role limited to it.
function Set-ScopedRole([string]$Role, [string]$ScopeName, [string]$Filter) {
    $scope = Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue
    if ($null -eq $scope) {
        New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter | Out-Null
    }
    elseif ($scope.RecipientFilter -ne $Filter) {
        Set-ManagementScope -Identity $ScopeName -RecipientRestrictionFilter $Filter
    }
    $assignment = Get-ManagementRoleAssignment -Role $Role -RoleAssignee $ServicePrincipalId -ErrorAction SilentlyContinue
    if ($null -eq $assignment) {
        New-ManagementRoleAssignment -App $ServicePrincipalId -Role $Role -CustomResourceScope $ScopeName | Out-Null
    }
    else {
        $assignment | ForEach-Object { Set-ManagementRoleAssignment -Identity $_.Identity -CustomResourceScope $ScopeName }
    }
    Write-Output "scoped: $Role -> $ScopeName ($Filter)"
}

# An interactive sign-in; a partner (GDAP) administrator names the customer's tenant instead.
if ($DelegatedOrganization) {
    Connect-ExchangeOnline -DelegatedOrganization $DelegatedOrganization -ShowBanner:$false
}
else {
    Connect-ExchangeOnline -ShowBanner:$false
}
try {
    # Exchange's pointer to the managed identity's service principal in Entra ID.
    if ($null -eq (Get-ServicePrincipal -Identity $ServicePrincipalId -ErrorAction SilentlyContinue)) {
        New-ServicePrincipal -AppId $AppId -ObjectId $ServicePrincipalId -DisplayName $DisplayName | Out-Null
    }
    if ($MailSendMailbox) {
        Set-ScopedRole 'Application Mail.Send' "$DisplayName mail sender" "PrimarySmtpAddress -eq $(Format-Literal $MailSendMailbox)"
    }
    if ($MailboxSettingsGroup) {
        $group = Get-Group -Identity $MailboxSettingsGroup
        Set-ScopedRole 'Application MailboxSettings.ReadWrite' "$DisplayName served users" "MemberOfGroup -eq $(Format-Literal $group.DistinguishedName)"
    }
    if ($MailSendMailbox) {
        # What Exchange now allows the app on the sender mailbox (InScope: True).
        Test-ServicePrincipalAuthorization -Identity $ServicePrincipalId -Resource $MailSendMailbox | Format-Table -AutoSize | Out-String | Write-Output
    }
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
