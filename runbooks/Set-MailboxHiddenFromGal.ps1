<#
.SYNOPSIS
    Hides a mailbox from the global address list (or shows it again with -Hidden false).
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","mailbox":"…","hidden":true|false}
    and fails the job (non-zero exit) after writing a failed line.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$UserPrincipalName,

    [Parameter(Mandatory = $false)]
    [ValidateSet('true', 'false')]
    [string]$Hidden = 'true'
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

try {
    $wantHidden = $Hidden -eq 'true'
    Connect-Exchange
    $mailbox = Get-EXOMailbox -Identity $UserPrincipalName -Properties HiddenFromAddressListsEnabled
    $word = if ($wantHidden) { 'hidden from' } else { 'shown in' }
    if ([bool]$mailbox.HiddenFromAddressListsEnabled -eq $wantHidden) {
        Write-Result 'ok' "$UserPrincipalName is already $word the address lists." @{ mailbox = $UserPrincipalName; hidden = $wantHidden }
    }
    else {
        Set-Mailbox -Identity $mailbox.PrimarySmtpAddress -HiddenFromAddressListsEnabled $wantHidden
        Write-Result 'changed' "$UserPrincipalName is now $word the address lists." @{ mailbox = $UserPrincipalName; hidden = $wantHidden }
    }
}
catch {
    $reason = $_.Exception.Message
    Write-Result 'failed' $reason @{ mailbox = $UserPrincipalName }
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
