<#
.SYNOPSIS
    Removes a user from every distribution list and mail-enabled security group it belongs to.
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Groups synced from on-premises
    (and dynamic distribution groups) cannot change in Exchange Online: they are reported as
    skipped, not failed. Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","user":"…","removed":[…],"skipped":[…],"errors":[…]}
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
$skipped = [System.Collections.Generic.List[string]]::new()
$errors = [System.Collections.Generic.List[string]]::new()
try {
    Connect-Exchange
    $member = Get-Recipient -Identity $UserPrincipalName
    # OPATH string literals double their single quotes (a DN may hold an apostrophe).
    $dn = $member.DistinguishedName -replace "'", "''"
    $groups = Get-Recipient -ResultSize Unlimited -Filter "Members -eq '$dn'" `
        -RecipientTypeDetails MailUniversalDistributionGroup, MailUniversalSecurityGroup, MailNonUniversalGroup
    foreach ($group in $groups) {
        if ($group.IsDirSynced) { $skipped.Add("$($group.DisplayName) (synced from on-premises)"); continue }
        try {
            Remove-DistributionGroupMember -Identity $group.PrimarySmtpAddress -Member $member.PrimarySmtpAddress -BypassSecurityGroupManagerCheck -Confirm:$false
            $removed.Add($group.DisplayName)
        }
        catch { $errors.Add("$($group.DisplayName): $($_.Exception.Message)") }
    }
    $detail = @{ user = $UserPrincipalName; removed = $removed.ToArray(); skipped = $skipped.ToArray(); errors = $errors.ToArray() }
    if ($errors.Count -gt 0) {
        $reason = "$UserPrincipalName could not be removed from $($errors.Count) group(s): $($errors -join '; ')"
        Write-Result 'failed' $reason $detail
        throw $reason
    }
    elseif ($removed.Count -gt 0) {
        Write-Result 'changed' "$UserPrincipalName was removed from $($removed.Count) distribution or mail-enabled security group(s)." $detail
    }
    else {
        Write-Result 'ok' "$UserPrincipalName is in no distribution list or mail-enabled security group that can change." $detail
    }
}
catch {
    $reason = $_.Exception.Message
    # A failed line was already written when only some removals failed.
    if ($errors.Count -eq 0) { Write-Result 'failed' $reason @{ user = $UserPrincipalName; removed = $removed.ToArray() } }
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
