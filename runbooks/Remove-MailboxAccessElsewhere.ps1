<#
.SYNOPSIS
    Takes away every right a user holds on other mailboxes: Full Access, Send As, Send on Behalf
    and the Calendar folder.
.NOTES
    PowerShell 7.x runbook, Automation account managed identity. Exchange cannot list mailboxes by
    who holds rights on them, so every other user and shared mailbox is checked; holders are
    compared by resolved recipient (Guid), never by printed text. Writes exactly one JSON line:
    {"status":"changed"|"ok"|"failed","reason":"…","user":"…","removed":[mailboxes],"errors":[…]}
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

function Test-Holder([object]$Identity, [object]$Target) {
    if ([string]::IsNullOrWhiteSpace("$Identity")) { return $false }
    $holder = Get-Recipient -Identity "$Identity" -ErrorAction SilentlyContinue
    return $holder -and $holder.Guid -eq $Target.Guid
}

$removed = [System.Collections.Generic.List[string]]::new()
$errors = [System.Collections.Generic.List[string]]::new()
try {
    Connect-Exchange
    $user = Get-Recipient -Identity $UserPrincipalName
    $who = $user.PrimarySmtpAddress
    $mailboxes = Get-Mailbox -ResultSize Unlimited -RecipientTypeDetails UserMailbox, SharedMailbox | Where-Object { $_.Guid -ne $user.Guid }
    foreach ($mailbox in $mailboxes) {
        $target = $mailbox.PrimarySmtpAddress
        $changed = $false
        try {
            $fullAccess = Get-MailboxPermission -Identity $target | Where-Object { -not $_.IsInherited -and $_.AccessRights -contains 'FullAccess' -and (Test-Holder $_.User $user) }
            if ($fullAccess) { Remove-MailboxPermission -Identity $target -User $who -AccessRights FullAccess -InheritanceType All -Confirm:$false; $changed = $true }
            $sendAs = Get-RecipientPermission -Identity $target -AccessRights SendAs | Where-Object { Test-Holder $_.Trustee $user }
            if ($sendAs) { Remove-RecipientPermission -Identity $target -Trustee $who -AccessRights SendAs -Confirm:$false; $changed = $true }
            if (@($mailbox.GrantSendOnBehalfTo | Where-Object { Test-Holder $_ $user }).Count -gt 0) {
                Set-Mailbox -Identity $target -GrantSendOnBehalfTo @{ Remove = $who }; $changed = $true
            }
            # The Calendar folder's name follows the mailbox's language ("Kalender"): read it, never assume it.
            $calendar = Get-MailboxFolderStatistics -Identity $target -FolderScope Calendar | Where-Object { $_.FolderType -eq 'Calendar' } | Select-Object -First 1
            $folder = "${target}:\$($calendar.Name)"
            if (Get-MailboxFolderPermission -Identity $folder -User $who -ErrorAction SilentlyContinue) {
                Remove-MailboxFolderPermission -Identity $folder -User $who -Confirm:$false; $changed = $true
            }
            if ($changed) { $removed.Add("$target") }
        }
        catch { $errors.Add("${target}: $($_.Exception.Message)") }
    }
    $detail = @{ user = $UserPrincipalName; removed = $removed.ToArray(); errors = $errors.ToArray() }
    if ($errors.Count -gt 0) {
        $reason = "$UserPrincipalName keeps rights on $($errors.Count) mailbox(es): $($errors -join '; ')"
        Write-Result 'failed' $reason $detail
        throw $reason
    }
    elseif ($removed.Count -gt 0) { Write-Result 'changed' "$UserPrincipalName no longer has rights on $($removed.Count) other mailbox(es)." $detail }
    else { Write-Result 'ok' "$UserPrincipalName holds no rights on other mailboxes." $detail }
}
catch {
    $reason = $_.Exception.Message
    if ($errors.Count -eq 0) { Write-Result 'failed' $reason @{ user = $UserPrincipalName; removed = $removed.ToArray() } }
    throw $reason
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
