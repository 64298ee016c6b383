#!/usr/bin/env bash
# One customer deployment in one go: Bicep (all Azure resources and Azure roles), the code
# package, the runbooks, and the tenant permissions the intents need.
#
#   scripts/deploy.sh --resource-group rg-contoso-intents --location westeurope \
#     --parameters infra/contoso.parameters.json [--what-if]
#
# No secret goes on a command line: the webhook's shared secret is generated here on the first
# deployment (or read from --secret-file) and handed to ARM in a private temporary file.
#
# Runs on bash 3.2 (macOS) and later, without a terminal (pipelines): no associative arrays, no
# mapfile, no prompts, and an array that may be empty is expanded as ${a[@]+"${a[@]}"} (bash
# before 4.4 calls "${a[@]}" of an empty array unbound under set -u).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
usage: scripts/deploy.sh --resource-group NAME --parameters FILE [options]

  --resource-group NAME    resource group for this customer (created if missing)
  --parameters FILE        a copy of infra/main.parameters.json with the customer's values
  --location REGION        region for a new resource group (default: westeurope)
  --secret-file FILE       use this shared secret instead of generating one
  --rotate-secret          generate a new shared secret even if one exists
  --skip-code              do not build and publish the code package
  --skip-grants            do not grant Graph permissions / Entra roles (prints the command instead)
  --what-if                show what would change (Azure what-if, permissions, code, runbooks); change nothing
  --deployer-ip ADDRESS    this machine's public IPv4 for the temporary SCM rule (default: looked up,
                           and two lookup services must agree)
  --mail-scope GROUP       scope the mail permissions with Exchange RBAC for Applications: Mail.Send to
                           the notification mailbox only, MailboxSettings.ReadWrite to the members of
                           the mail-enabled security GROUP; their tenant-wide grants are then revoked.
                           Needs pwsh with ExchangeOnlineManagement and an Exchange administrator's sign-in.
                           Remembered: later deployments keep the scoping without asking again
  --no-mail-scope          forget the scoping: grant the two mail permissions tenant-wide again
  --exchange-role-in-exchange
                           the Exchange identity holds its role through an Exchange role group with a
                           management scope (README: Scoping the Exchange role): grant Exchange.ManageAsApp
                           only, not the tenant-wide Entra Exchange role
USAGE
}

resource_group="" parameters="" location="westeurope" secret_file="" rotate=0 skip_code=0 skip_grants=0
what_if=0 deployer_ip="" mail_scope="" no_mail_scope=0 exchange_role_in_exchange=0
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group) resource_group="${2:?}"; shift 2 ;;
    --parameters) parameters="${2:?}"; shift 2 ;;
    --location) location="${2:?}"; shift 2 ;;
    --secret-file) secret_file="${2:?}"; shift 2 ;;
    --rotate-secret) rotate=1; shift ;;
    --skip-code) skip_code=1; shift ;;
    --skip-grants) skip_grants=1; shift ;;
    --what-if) what_if=1; shift ;;
    --deployer-ip) deployer_ip="${2:?}"; shift 2 ;;
    --mail-scope) mail_scope="${2:?}"; shift 2 ;;
    --no-mail-scope) no_mail_scope=1; shift ;;
    --exchange-role-in-exchange) exchange_role_in_exchange=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -z "$resource_group" ] || [ -z "$parameters" ]; then usage >&2; exit 2; fi
[ -f "$parameters" ] || { echo "deploy: $parameters does not exist" >&2; exit 2; }
for tool in az jq node zip openssl curl; do
  command -v "$tool" >/dev/null || { echo "deploy: '$tool' is required" >&2; exit 2; }
done
if [ -n "$mail_scope" ] && [ "$no_mail_scope" = 1 ]; then
  echo "deploy: --mail-scope and --no-mail-scope contradict each other" >&2
  exit 2
fi
if [ -n "$mail_scope" ] && [ "$what_if" = 0 ] && ! command -v pwsh >/dev/null; then
  echo "deploy: --mail-scope needs PowerShell 7 (pwsh) with the ExchangeOnlineManagement module;" >&2
  echo "        install them, or scope by hand (README: Scoping the mail permissions)." >&2
  exit 2
fi
az account show >/dev/null || { echo "deploy: run 'az login' first" >&2; exit 2; }

# Extensions (automation) install without asking: a pipeline has no terminal to answer a prompt.
export AZURE_EXTENSION_USE_DYNAMIC_INSTALL=yes_without_prompt

work="$(umask 077 && mktemp -d)"
scm_rule_app=""
cleanup() {
  if [ -n "$scm_rule_app" ]; then
    az functionapp config access-restriction remove -g "$resource_group" -n "$scm_rule_app" \
      --rule-name deploy-temporary --scm-site true >/dev/null || echo "deploy: remove the SCM rule deploy-temporary by hand" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A freshly created managed identity or role assignment takes minutes to be seen everywhere
# (Entra and ARM replicate). Until then Azure answers that the identity does not exist, or refuses
# the identity what its new role allows. A step that can meet this is retried with a growing wait
# (15 s, 30 s, 60 s, 120 s); any other failure stops the deployment at once.
identity_not_replicated="PrincipalNotFound|does not exist in the directory|does not exist or one of its queried reference-property objects are not present|Invalid value specified for property 'principalId'"
role_not_replicated='AuthorizationPermissionMismatch|Forbidden|403'
retry_attempts="${DEPLOY_RETRY_ATTEMPTS:-5}"
retry_delay="${DEPLOY_RETRY_DELAY_SECONDS:-15}"

# retry WHAT ERRORS COMMAND…: runs COMMAND, again while it fails with an error matching ERRORS.
retry() {
  local what="$1" pattern="$2" attempt=1 delay="$retry_delay" errors="$work/retry.err"
  shift 2
  while :; do
    if "$@" 2>"$errors"; then
      cat "$errors" >&2
      return 0
    fi
    cat "$errors" >&2
    if [ "$attempt" -ge "$retry_attempts" ] || ! grep -Eq "$pattern" "$errors"; then
      echo "deploy: $what failed" >&2
      return 1
    fi
    echo "    $what: Azure has not caught up with a new identity or role yet; retrying in ${delay}s ($((attempt + 1)) of $retry_attempts)" >&2
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

is_ipv4() {
  case "$1" in '' | *[!0-9.]* | .* | *. | *..*) return 1 ;; esac
  local IFS=. octet count=0
  # shellcheck disable=SC2086 # split on dots on purpose
  set -- $1
  for octet in "$@"; do
    [ "${#octet}" -le 3 ] && [ "$octet" -le 255 ] || return 1
    count=$((count + 1))
  done
  [ "$count" -eq 4 ]
}

# This machine's public IPv4, once two independent lookup services agree on it: a single answer
# may be wrong (a proxy, a second egress path) or tampered with, and the SCM site would then be
# opened to someone else.
public_ip() {
  local url answer seen=" "
  for url in https://api.ipify.org https://ifconfig.me/ip https://icanhazip.com https://checkip.amazonaws.com; do
    answer="$(curl -fsS --max-time 10 "$url" 2>/dev/null | tr -d '[:space:]')" || continue
    is_ipv4 "$answer" || continue
    case "$seen" in *" $answer "*) printf '%s\n' "$answer"; return 0 ;; esac
    seen="$seen$answer "
  done
  return 1
}

secret_name="INTENT-SHARED-SECRET"
# The key approval links are signed with: generated once, kept across deployments (a new one
# would void the links already mailed).
approval_key_name="APPROVAL-SIGNING-KEY"
# Whether the vault ($vault) holds a secret: asked of the control plane, which needs no data-plane access.
vault=""
stored() {
  [ -n "$vault" ] && az resource show -g "$resource_group" --namespace Microsoft.KeyVault --parent "vaults/$vault" \
    --resource-type secrets --name "$1" >/dev/null 2>&1
}
# The mail scoping a previous deployment set up (its mailScopeGroup parameter) holds until
# --no-mail-scope: Exchange keeps it, so only the Entra side is repeated, without PowerShell.
scope_in_exchange=1
if [ -z "$mail_scope" ] && [ "$no_mail_scope" = 0 ]; then
  mail_scope="$(az deployment group show -g "$resource_group" --name intent-engine \
    --query properties.parameters.mailScopeGroup.value -o tsv 2>/dev/null || true)"
  [ -n "$mail_scope" ] && scope_in_exchange=0
fi
operator="$(az ad signed-in-user show --query id -o tsv 2>/dev/null || true)"
permissions="$work/permissions.json"
node bin/intents.cjs permissions --json >"$permissions"
# The mail permissions the intents need that --mail-scope moves from Entra to Exchange RBAC.
scoped_permissions=""
if [ -n "$mail_scope" ]; then
  scoped_permissions="$(jq -r '[.graph[].name | select(. == "Mail.Send" or . == "MailboxSettings.ReadWrite")] | join(",")' "$permissions")"
fi

if [ "$what_if" = 1 ]; then
  echo "==> what-if: nothing is changed"
  if [ "$(az group exists --name "$resource_group")" = "true" ]; then
    # No secret parameter: what-if shows the stored secret as it is.
    az deployment group what-if -g "$resource_group" --name intent-engine --template-file infra/main.bicep \
      --parameters @"$parameters" --parameters operatorPrincipalId="$operator" --parameters mailScopeGroup="$mail_scope"
  else
    echo "    resource group $resource_group does not exist: every resource in infra/main.bicep would be created in $location"
  fi
  vault="$(az keyvault list -g "$resource_group" --query '[0].name' -o tsv 2>/dev/null || true)"
  if [ -n "$secret_file" ] || [ "$rotate" = 1 ] || [ -z "$vault" ]; then
    echo "==> a new shared secret would be stored in Key Vault as $secret_name"
  fi
  if ! stored "$approval_key_name"; then
    echo "==> a new approval signing key would be stored in Key Vault as $approval_key_name"
  fi
  [ "$skip_code" = 0 ] && echo "==> the code package (npm run package) would be built and published"
  echo "==> runbooks that would be published: $(jq -r '.runbooks | keys | join(", ")' runbooks/runbooks.json)"
  if [ "$skip_grants" = 0 ]; then
    echo "==> tenant permissions that would be granted (already granted ones are left alone):"
    node bin/intents.cjs permissions
  fi
  if [ -n "$scoped_permissions" ]; then
    echo "==> --mail-scope: $scoped_permissions would be granted through Exchange RBAC for Applications"
    echo "    (Mail.Send: the notification mailbox; MailboxSettings.ReadWrite: members of $mail_scope) and revoked in Entra"
  fi
  exit 0
fi

echo "==> resource group $resource_group"
az group create --name "$resource_group" --location "$location" --output none

# The shared secret: kept when the vault already holds it (checked on the control plane, which
# needs no data-plane access), generated on the first deployment or on --rotate-secret.
vault="$(az keyvault list -g "$resource_group" --query '[0].name' -o tsv 2>/dev/null || true)"
secret_exists=0
stored "$secret_name" && secret_exists=1
secret_parameters="$work/secret.parameters.json"
shared_part="$work/shared-secret.json"
approval_part="$work/approval-key.json"
echo '{}' >"$shared_part"
echo '{}' >"$approval_part"
secret_args=()
if [ -n "$secret_file" ]; then
  jq -n --rawfile s "$secret_file" '{intentSharedSecret: {value: ($s | rtrimstr("\n"))}}' >"$shared_part"
elif [ "$secret_exists" = 0 ] || [ "$rotate" = 1 ]; then
  # Generated straight into the file: the value never appears in argv or the environment.
  openssl rand -base64 48 | tr -d '\n' | jq -Rs '{intentSharedSecret: {value: .}}' >"$shared_part"
  echo "==> a new shared secret will be stored in Key Vault as $secret_name"
fi
if ! stored "$approval_key_name"; then
  openssl rand -base64 48 | tr -d '\n' | jq -Rs '{approvalSigningKey: {value: .}}' >"$approval_part"
  echo "==> a new approval signing key will be stored in Key Vault as $approval_key_name"
fi
jq -s 'add' "$shared_part" "$approval_part" >"$secret_parameters"
rm -f "$shared_part" "$approval_part"
if [ "$(jq 'length' "$secret_parameters")" != 0 ]; then
  secret_args=(--parameters @"$secret_parameters")
fi

outputs="$work/outputs.json"
echo "==> deploying infra/main.bicep"
# Role assignments name their principal type, so ARM does not look new identities up; a retry
# still covers an alert rule's identity that Entra has not replicated yet.
retry "the deployment" "$identity_not_replicated" az deployment group create -g "$resource_group" --name intent-engine --template-file infra/main.bicep \
  --parameters @"$parameters" ${secret_args[@]+"${secret_args[@]}"} --parameters operatorPrincipalId="$operator" \
  --parameters mailScopeGroup="$mail_scope" --query properties.outputs --output json >"$outputs"
rm -f "$secret_parameters"
output() { jq -r ".$1.value" "$outputs"; }
function_app="$(output functionAppName)"
automation_account="$(output automationAccountName)"

if [ "$skip_code" = 0 ]; then
  echo "==> building the package"
  npm run --silent package
  if [ -z "$deployer_ip" ]; then
    deployer_ip="$(public_ip)" || {
      echo "deploy: two IP lookup services did not agree on this machine's public address; pass --deployer-ip" >&2
      exit 1
    }
  fi
  is_ipv4 "$deployer_ip" || { echo "deploy: --deployer-ip $deployer_ip is not an IPv4 address" >&2; exit 2; }
  # The SCM site denies everyone; open it to this machine only while the package uploads.
  scm_rule_app="$function_app"
  az functionapp config access-restriction add -g "$resource_group" -n "$function_app" --scm-site true \
    --rule-name deploy-temporary --action Allow --ip-address "$deployer_ip/32" --priority 90 --output none
  echo "==> publishing the code to $function_app (SCM open to $deployer_ip only)"
  # Retried: the app's identity needs its new Blob Data Owner role on the package container, and
  # the temporary rule takes a moment to apply.
  retry "publishing the code" "$identity_not_replicated|$role_not_replicated" az functionapp deployment source config-zip -g "$resource_group" -n "$function_app" \
    --src dist/function-app.zip --output none
  az functionapp config access-restriction remove -g "$resource_group" -n "$function_app" \
    --rule-name deploy-temporary --scm-site true --output none
  scm_rule_app=""
fi

echo "==> publishing runbooks to $automation_account"
az extension show --name automation >/dev/null 2>&1 || az extension add --name automation --yes --only-show-errors
for runbook in $(jq -r '.runbookNames.value[]' "$outputs"); do
  az automation runbook replace-content -g "$resource_group" --automation-account-name "$automation_account" --name "$runbook" --content @"runbooks/$runbook.ps1" --output none
  az automation runbook publish -g "$resource_group" --automation-account-name "$automation_account" --name "$runbook" --output none
  echo "    $runbook"
done

function_principal="$(output functionPrincipalId)"
if [ -n "$scoped_permissions" ] && [ "$scope_in_exchange" = 1 ]; then
  # Exchange first, so the app never goes without its mail permissions in between.
  echo "==> scoping $scoped_permissions with Exchange RBAC for Applications (sign in as an Exchange administrator)"
  function_app_id="$(retry "reading the app's identity" "$identity_not_replicated" az ad sp show --id "$function_principal" --query appId -o tsv)"
  mailbox="$(jq -r '.parameters.notificationMailbox.value' "$parameters")"
  scope_args=(-AppId "$function_app_id" -ServicePrincipalId "$function_principal")
  case ",$scoped_permissions," in *,Mail.Send,*) scope_args+=(-MailSendMailbox "$mailbox") ;; esac
  case ",$scoped_permissions," in *,MailboxSettings.ReadWrite,*) scope_args+=(-MailboxSettingsGroup "$mail_scope") ;; esac
  pwsh -NoLogo -NoProfile -File scripts/scope-mail-permissions.ps1 "${scope_args[@]}"
fi

# Exchange.ManageAsApp and the Exchange role go to the identity the Exchange route runs under:
# the Function App's (the admin API, exchangeMode api) or the Automation account's (runbooks).
grant=(node bin/run-ts.cjs scripts/grant-graph-permissions.ts --permissions "$permissions"
  --function-principal-id "$function_principal" --automation-principal-id "$(output automationPrincipalId)"
  --exchange-mode "$(output exchangeMode)")
if [ -n "$scoped_permissions" ]; then grant+=(--exchange-scoped "$scoped_permissions"); fi
if [ "$exchange_role_in_exchange" = 1 ]; then grant+=(--exchange-role-in-exchange); fi
if [ "$skip_grants" = 0 ]; then
  echo "==> granting tenant permissions (needs Privileged Role Administrator)"
  # Retried: Graph may not know the just-created identities yet.
  retry "granting tenant permissions" "$identity_not_replicated" "${grant[@]}"
else
  echo "==> skipped grants; a Privileged Role Administrator runs:"
  echo "    npx intents permissions --json > permissions.json"
  echo "    ${grant[*]:0:3} --permissions permissions.json ${grant[*]:5}"
fi

# Starts the host with this deployment's settings, role assignments and (rotated) secret.
az functionapp restart -g "$resource_group" -n "$function_app" --output none

cat <<DONE

Deployed.
  Webhook URL:            $(output webhookUrl)
  Shared secret:          az keyvault secret show --vault-name $(output keyVaultName) --name $secret_name --query value -o tsv
  Function App identity:  $function_principal
  Automation identity:    $(output automationPrincipalId)
  Notifications URL:      $(output notificationUrl)
In Thread, point each intent at the webhook URL and add the header X-Intent-Secret with the shared secret.
DONE
# The allowlist admits Thread only unless the parameters name Graph's sources; say what that costs.
if [ "$(output notificationsReachable)" != "true" ]; then
  echo "Change notifications are off: the allowlist keeps Graph out of /api/notifications, so event-triggered"
  echo "intents never run. To turn them on, set notificationSourceAddresses (README: Change notifications in Azure)."
fi
if [ -z "$mail_scope" ] && [ -n "$(jq -r '[.graph[].name | select(. == "Mail.Send" or . == "MailboxSettings.ReadWrite")] | join(",")' "$permissions")" ]; then
  echo "Mail.Send and MailboxSettings.ReadWrite are granted tenant-wide; --mail-scope GROUP narrows them"
  echo "(README: Scoping the mail permissions)."
fi
