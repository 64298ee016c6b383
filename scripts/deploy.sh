#!/usr/bin/env bash
# One customer deployment in one go: Bicep (all Azure resources and Azure roles), the code
# package, the runbooks, and the tenant permissions the intents need.
#
#   scripts/deploy.sh --resource-group rg-contoso-intents --location westeurope \
#     --parameters infra/contoso.parameters.json
#
# No secret goes on a command line: the webhook's shared secret is generated here on the first
# deployment (or read from --secret-file) and handed to ARM in a private temporary file.
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
USAGE
}

resource_group="" parameters="" location="westeurope" secret_file="" rotate=0 skip_code=0 skip_grants=0
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group) resource_group="${2:?}"; shift 2 ;;
    --parameters) parameters="${2:?}"; shift 2 ;;
    --location) location="${2:?}"; shift 2 ;;
    --secret-file) secret_file="${2:?}"; shift 2 ;;
    --rotate-secret) rotate=1; shift ;;
    --skip-code) skip_code=1; shift ;;
    --skip-grants) skip_grants=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$resource_group" ] && [ -n "$parameters" ] || { usage >&2; exit 2; }
[ -f "$parameters" ] || { echo "deploy: $parameters does not exist" >&2; exit 2; }
for tool in az jq node zip openssl curl; do
  command -v "$tool" >/dev/null || { echo "deploy: '$tool' is required" >&2; exit 2; }
done
az account show >/dev/null || { echo "deploy: run 'az login' first" >&2; exit 2; }

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

secret_name="INTENT-SHARED-SECRET"
echo "==> resource group $resource_group"
az group create --name "$resource_group" --location "$location" --output none

# The shared secret: kept when the vault already holds it (checked on the control plane, which
# needs no data-plane access), generated on the first deployment or on --rotate-secret.
vault="$(az keyvault list -g "$resource_group" --query '[0].name' -o tsv 2>/dev/null || true)"
secret_exists=0
if [ -n "$vault" ] && az resource show -g "$resource_group" --namespace Microsoft.KeyVault --parent "vaults/$vault" \
  --resource-type secrets --name "$secret_name" >/dev/null 2>&1; then
  secret_exists=1
fi
secret_parameters="$work/secret.parameters.json"
secret_args=()
if [ -n "$secret_file" ]; then
  jq -n --rawfile s "$secret_file" '{intentSharedSecret: {value: ($s | rtrimstr("\n"))}}' >"$secret_parameters"
  secret_args=(--parameters @"$secret_parameters")
elif [ "$secret_exists" = 0 ] || [ "$rotate" = 1 ]; then
  # Generated straight into the file: the value never appears in argv or the environment.
  openssl rand -base64 48 | tr -d '\n' | jq -Rs '{intentSharedSecret: {value: .}}' >"$secret_parameters"
  secret_args=(--parameters @"$secret_parameters")
  echo "==> a new shared secret will be stored in Key Vault as $secret_name"
fi

operator="$(az ad signed-in-user show --query id -o tsv 2>/dev/null || true)"
outputs="$work/outputs.json"
echo "==> deploying infra/main.bicep"
az deployment group create -g "$resource_group" --name intent-engine --template-file infra/main.bicep \
  --parameters @"$parameters" "${secret_args[@]}" --parameters operatorPrincipalId="$operator" \
  --query properties.outputs --output json >"$outputs"
rm -f "$secret_parameters"
output() { jq -r ".$1.value" "$outputs"; }
function_app="$(output functionAppName)"
automation_account="$(output automationAccountName)"

if [ "$skip_code" = 0 ]; then
  echo "==> building the package"
  npm run --silent package
  # The SCM site denies everyone; open it to this machine only while the package uploads.
  my_ip="$(curl -fsS https://api.ipify.org)"
  scm_rule_app="$function_app"
  az functionapp config access-restriction add -g "$resource_group" -n "$function_app" --scm-site true \
    --rule-name deploy-temporary --action Allow --ip-address "$my_ip/32" --priority 90 --output none
  echo "==> publishing the code to $function_app"
  az functionapp deployment source config-zip -g "$resource_group" -n "$function_app" --src dist/function-app.zip --output none
  az functionapp config access-restriction remove -g "$resource_group" -n "$function_app" \
    --rule-name deploy-temporary --scm-site true --output none
  scm_rule_app=""
fi

echo "==> publishing runbooks to $automation_account"
for runbook in $(jq -r '.runbookNames.value[]' "$outputs"); do
  az automation runbook replace-content -g "$resource_group" --automation-account-name "$automation_account" --name "$runbook" --content @"runbooks/$runbook.ps1" --output none
  az automation runbook publish -g "$resource_group" --automation-account-name "$automation_account" --name "$runbook" --output none
  echo "    $runbook"
done

permissions="$work/permissions.json"
node bin/intents.cjs permissions --json >"$permissions"
grant=(node bin/run-ts.cjs scripts/grant-graph-permissions.ts --permissions "$permissions"
  --function-principal-id "$(output functionPrincipalId)" --automation-principal-id "$(output automationPrincipalId)")
if [ "$skip_grants" = 0 ]; then
  echo "==> granting tenant permissions (needs Privileged Role Administrator)"
  "${grant[@]}"
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
  Function App identity:  $(output functionPrincipalId)
  Automation identity:    $(output automationPrincipalId)
In Thread, point each intent at the webhook URL and add the header X-Intent-Secret with the shared secret.
DONE
