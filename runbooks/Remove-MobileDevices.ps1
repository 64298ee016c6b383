<#
.SYNOPSIS
    Removes every mobile device partnership of a mailbox (phones and tablets stop syncing it).
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Removing a partnership wipes
    nothing. Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","mailbox":"…","removed":[…],"errors":[…]}
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

$removed = [System.Collections.Generic.List[string]]::new()
$errors = [System.Collections.Generic.List[string]]::new()
try {
    Connect-Exchange
    foreach ($device in @(Get-MobileDevice -Mailbox $UserPrincipalName)) {
        try {
            Remove-MobileDevice -Identity $device.Guid.ToString() -Confirm:$false
            $removed.Add($device.FriendlyName)
        }
        catch { $errors.Add("$($device.FriendlyName): $($_.Exception.Message)") }
    }
    $detail = @{ mailbox = $UserPrincipalName; removed = $removed.ToArray(); errors = $errors.ToArray() }
    if ($errors.Count -gt 0) {
        $reason = "$($errors.Count) device(s) of $UserPrincipalName could not be removed: $($errors -join '; ')"
        Write-Result 'failed' $reason $detail
        throw $reason
    }
    elseif ($removed.Count -gt 0) { Write-Result 'changed' "$($removed.Count) mobile device(s) no longer sync $UserPrincipalName." $detail }
    else { Write-Result 'ok' "No mobile device syncs $UserPrincipalName." $detail }
}
catch {
    $reason = $_.Exception.Message
    # A failed line was already written when only some removals failed.
    if ($errors.Count -eq 0) { Write-Result 'failed' $reason @{ mailbox = $UserPrincipalName; removed = $removed.ToArray() } }
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
