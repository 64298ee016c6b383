<#
.SYNOPSIS
    Converts a user mailbox to a shared mailbox (offboarding: before the licences are removed).
.NOTES
    PowerShell 7.x runbook, Automation account managed identity (Exchange.ManageAsApp + Exchange
    Administrator). Writes exactly one JSON line as its result:
    {"status":"changed"|"ok"|"failed","reason":"…","mailbox":"…","recipientTypeDetails":"…"}
    and fails the job (non-zero exit) after writing a failed line.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$UserPrincipalName
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
    Connect-Exchange
    $mailbox = Get-EXOMailbox -Identity $UserPrincipalName -Properties RecipientTypeDetails
    if ($mailbox.RecipientTypeDetails -eq 'SharedMailbox') {
        Write-Result 'ok' "$UserPrincipalName is already a shared mailbox." @{ mailbox = $UserPrincipalName; recipientTypeDetails = 'SharedMailbox' }
    }
    else {
        # With ErrorActionPreference Stop, a refused conversion throws; no re-read (it may lag).
        Set-Mailbox -Identity $mailbox.PrimarySmtpAddress -Type Shared
        Write-Result 'changed' "$UserPrincipalName was converted to a shared mailbox." @{ mailbox = $UserPrincipalName; recipientTypeDetails = 'SharedMailbox' }
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
