<#
.SYNOPSIS
    Grants or revokes FullAccess, SendAs or SendOnBehalf on a mailbox.
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Idempotent: existing holders are
    compared by resolved recipient identity (their Guid), never by the text Exchange prints, which
    is a name or alias rather than the SMTP address the caller sent. SendOnBehalf changes go
    through @{Add=…} / @{Remove=…} so other delegates are never rewritten.
    Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","mailbox":"…","user":"…","permission":"…","action":"…"}
    and fails the job (non-zero exit) after writing a failed line.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$SharedMailboxEmail,

    [Parameter(Mandatory = $true)]
    [string]$UserEmail,

    [Parameter(Mandatory = $true)]
    [ValidateSet('FullAccess', 'SendAs', 'SendOnBehalf')]
    [string]$PermissionType,

    [Parameter(Mandatory = $true)]
    [ValidateSet('Grant', 'Revoke')]
    [string]$Action,

    # FullAccess grants only: whether the mailbox opens in the user's Outlook by itself.
    [Parameter(Mandatory = $false)]
    [ValidateSet('true', 'false')]
    [string]$AutoMapping = 'true'
)

$ErrorActionPreference = 'Stop'

function Write-Result([string]$Status, [string]$Reason, [hashtable]$Detail = @{}) {
    $result = [ordered]@{ status = $Status; reason = $Reason }
    foreach ($key in $Detail.Keys) { $result[$key] = $Detail[$key] }
    Write-Output ($result | ConvertTo-Json -Compress -Depth 5)
}

function Connect-Exchange {
    # -Organization must be the tenant's initial domain (contoso.onmicrosoft.com), not a tenant id.
    $organization = Get-AutomationVariable -Name 'ExchangeOrganization'
    if ([string]::IsNullOrWhiteSpace($organization)) {
        throw "The Automation variable 'ExchangeOrganization' (the tenant's initial .onmicrosoft.com domain) is not set."
    }
    Connect-ExchangeOnline -ManagedIdentity -Organization $organization -ShowBanner:$false
}

# True when any of the printed identities resolves to the same recipient as $Target.
function Test-HoldsPermission([object[]]$Identities, [object]$Target) {
    foreach ($identity in $Identities) {
        if ([string]::IsNullOrWhiteSpace("$identity")) { continue }
        $holder = Get-Recipient -Identity "$identity" -ErrorAction SilentlyContinue
        if ($holder -and $holder.Guid -eq $Target.Guid) { return $true }
    }
    return $false
}

function Get-PermissionHolders([object]$Mailbox, [string]$Type) {
    switch ($Type) {
        'FullAccess' {
            return Get-MailboxPermission -Identity $Mailbox.PrimarySmtpAddress |
                Where-Object { -not $_.IsInherited -and -not $_.Deny -and $_.AccessRights -contains 'FullAccess' } |
                ForEach-Object { $_.User }
        }
        'SendAs' {
            return Get-RecipientPermission -Identity $Mailbox.PrimarySmtpAddress -AccessRights SendAs |
                Where-Object { $_.AccessControlType -eq 'Allow' } |
                ForEach-Object { $_.Trustee }
        }
        'SendOnBehalf' { return $Mailbox.GrantSendOnBehalfTo }
    }
}

function Set-Permission([object]$Mailbox, [object]$User, [string]$Type, [bool]$Grant) {
    $who = $User.PrimarySmtpAddress
    switch ($Type) {
        'FullAccess' {
            if ($Grant) { Add-MailboxPermission -Identity $Mailbox.PrimarySmtpAddress -User $who -AccessRights FullAccess -InheritanceType All -AutoMapping ($AutoMapping -eq 'true') | Out-Null }
            else { Remove-MailboxPermission -Identity $Mailbox.PrimarySmtpAddress -User $who -AccessRights FullAccess -InheritanceType All -Confirm:$false }
        }
        'SendAs' {
            if ($Grant) { Add-RecipientPermission -Identity $Mailbox.PrimarySmtpAddress -Trustee $who -AccessRights SendAs -Confirm:$false | Out-Null }
            else { Remove-RecipientPermission -Identity $Mailbox.PrimarySmtpAddress -Trustee $who -AccessRights SendAs -Confirm:$false }
        }
        'SendOnBehalf' {
            if ($Grant) { Set-Mailbox -Identity $Mailbox.PrimarySmtpAddress -GrantSendOnBehalfTo @{ Add = $who } }
            else { Set-Mailbox -Identity $Mailbox.PrimarySmtpAddress -GrantSendOnBehalfTo @{ Remove = $who } }
        }
    }
}

$detail = @{ mailbox = $SharedMailboxEmail; user = $UserEmail; permission = $PermissionType; action = $Action }
try {
    Connect-Exchange
    $mailbox = Get-Mailbox -Identity $SharedMailboxEmail
    $user = Get-Recipient -Identity $UserEmail
    $grant = $Action -eq 'Grant'
    $holds = Test-HoldsPermission @(Get-PermissionHolders $mailbox $PermissionType) $user
    if ($holds -eq $grant) {
        $state = if ($grant) { 'already has' } else { 'does not have' }
        Write-Result 'ok' "$UserEmail $state $PermissionType on $SharedMailboxEmail." $detail
    }
    else {
        Set-Permission $mailbox $user $PermissionType $grant
        $done = if ($grant) { 'was granted' } else { 'no longer has' }
        Write-Result 'changed' "$UserEmail $done $PermissionType on $SharedMailboxEmail." $detail
    }
}
catch {
    $reason = $_.Exception.Message
    Write-Result 'failed' $reason $detail
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
