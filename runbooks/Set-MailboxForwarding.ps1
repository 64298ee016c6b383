<#
.SYNOPSIS
    Sets SMTP forwarding on a mailbox, or clears it when ForwardingAddress is empty.
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","mailbox":"…","forwardingSmtpAddress":…}
    and fails the job (non-zero exit) after writing a failed line.
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$UserPrincipalName,

    [Parameter(Mandatory = $false)]
    [string]$ForwardingAddress = '',

    [Parameter(Mandatory = $false)]
    [ValidateSet('true', 'false')]
    [string]$DeliverToMailboxAndForward = 'true'
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
    $keepCopy = $DeliverToMailboxAndForward -eq 'true'
    # Exchange reports the address as "smtp:x@y"; compare without the prefix and case.
    $wanted = if ([string]::IsNullOrWhiteSpace($ForwardingAddress)) { $null } else { $ForwardingAddress.Trim() }
    Connect-Exchange
    $mailbox = Get-EXOMailbox -Identity $UserPrincipalName -Properties ForwardingSmtpAddress, DeliverToMailboxAndForward
    $current = if ($mailbox.ForwardingSmtpAddress) { ($mailbox.ForwardingSmtpAddress -replace '^smtp:', '') } else { $null }
    $detail = @{ mailbox = $UserPrincipalName; forwardingSmtpAddress = $wanted; deliverToMailboxAndForward = $keepCopy }
    $sameTarget = ($null -eq $wanted -and $null -eq $current) -or ($null -ne $wanted -and $current -eq $wanted)
    $sameCopy = ($null -eq $wanted) -or ([bool]$mailbox.DeliverToMailboxAndForward -eq $keepCopy)
    if ($sameTarget -and $sameCopy) {
        $state = if ($wanted) { "already forwards to $wanted" } else { 'already has no forwarding' }
        Write-Result 'ok' "$UserPrincipalName $state." $detail
    }
    elseif ($null -eq $wanted) {
        Set-Mailbox -Identity $mailbox.PrimarySmtpAddress -ForwardingSmtpAddress $null -DeliverToMailboxAndForward $false
        Write-Result 'changed' "Forwarding was removed from $UserPrincipalName." $detail
    }
    else {
        Set-Mailbox -Identity $mailbox.PrimarySmtpAddress -ForwardingSmtpAddress "smtp:$wanted" -DeliverToMailboxAndForward $keepCopy
        Write-Result 'changed' "$UserPrincipalName now forwards to $wanted." $detail
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
