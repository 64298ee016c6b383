<#
.SYNOPSIS
    Cancels the meetings a mailbox organised from today on (attendees receive the cancellation).
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Remove-CalendarEvents cancels
    meetings with at least one attendee or resource and writes no output, so the result cannot say
    whether there were any: a run that completes is "changed". Writes exactly one JSON line:
    {"status":"changed"|"failed","reason":"…","mailbox":"…","days":N}
    and fails the job (non-zero exit) after writing a failed line.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$UserPrincipalName,

    [Parameter(Mandatory = $false)]
    [string]$QueryWindowInDays = '730'
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

$detail = @{ mailbox = $UserPrincipalName; days = [int]$QueryWindowInDays }
try {
    Connect-Exchange
    Remove-CalendarEvents -Identity $UserPrincipalName -CancelOrganizedMeetings -QueryWindowInDays ([int]$QueryWindowInDays) -Confirm:$false
    Write-Result 'changed' "The meetings $UserPrincipalName organised in the next $QueryWindowInDays days were cancelled." $detail
}
catch {
    $reason = $_.Exception.Message
    Write-Result 'failed' $reason $detail
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
