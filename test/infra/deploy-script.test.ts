import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePsParameters } from "../runbooks/support/ps-params";

const ROOT = join(__dirname, "..", "..");
const RUNBOOKS = Object.keys((JSON.parse(readFileSync(join(ROOT, "runbooks", "runbooks.json"), "utf8")) as { runbooks: object }).runbooks);

/**
 * A stand-in `az` that records every call (one line per call, arguments separated by tabs) and
 * answers the few calls whose output deploy.sh reads. The ARM parameters files it is handed are
 * copied aside, since deploy.sh deletes them. FAKE_FAIL_<WORD> makes the calls whose first words
 * join to WORD fail that many times first, with FAKE_ERROR_<WORD> on stderr.
 */
const FAKE_AZ = `#!/usr/bin/env bash
printf '%s\\t' "$@" >>"$FAKE_DIR/az.log"; echo >>"$FAKE_DIR/az.log"
echo "$AZURE_EXTENSION_USE_DYNAMIC_INSTALL" >"$FAKE_DIR/az.env"
word="$1_$2_$3"; word="\${word^^}"; word="\${word//[^A-Z0-9_]/_}"
fails_var="FAKE_FAIL_$word"; error_var="FAKE_ERROR_$word"
if [ "\${!fails_var:-0}" -gt 0 ]; then
  count_file="$FAKE_DIR/fail-$word"; done_count=0; [ -f "$count_file" ] && done_count="$(<"$count_file")"
  if [ "$done_count" -lt "\${!fails_var}" ]; then
    echo $((done_count + 1)) >"$count_file"; echo "\${!error_var:-failed}" >&2; exit 1
  fi
fi
case "$1 $2" in
  "keyvault list") [ -n "\${FAKE_VAULT:-}" ] && echo "$FAKE_VAULT"; exit 0 ;;
  "resource show") case " $* " in *" \${FAKE_SECRET_MISSING:-none} "*) exit 1 ;; esac; [ -n "\${FAKE_SECRET_EXISTS:-}" ]; exit $? ;;
  "ad signed-in-user") echo "operator-object-id"; exit 0 ;;
  "ad sp") echo "func-app-id"; exit 0 ;;
  "group exists") echo "\${FAKE_GROUP_EXISTS:-true}"; exit 0 ;;
  "extension show") [ -n "\${FAKE_EXTENSION:-}" ]; exit $? ;;
  "deployment group")
    [ "$3" = "what-if" ] && { echo "Resource changes: 1 to modify."; exit 0; }
    [ "$3" = "show" ] && { echo "\${FAKE_PREVIOUS_MAIL_SCOPE:-}"; exit 0; }
    n=0; for a in "$@"; do case "$a" in @*) n=$((n+1)); cp "\${a#@}" "$FAKE_DIR/parameters-$n.json" ;; esac; done
    jq -n --argjson runbooks "$FAKE_RUNBOOKS" --argjson reachable "\${FAKE_REACHABLE:-false}" '{webhookUrl:{value:"https://contoso-func.azurewebsites.net/api/intent"},
      notificationUrl:{value:"https://contoso-func.azurewebsites.net/api/notifications"}, notificationsReachable:{value:$reachable},
      functionAppName:{value:"contoso-func"}, functionPrincipalId:{value:"func-principal"},
      automationAccountName:{value:"contoso-auto"}, automationPrincipalId:{value:"auto-principal"},
      keyVaultName:{value:"contoso-kv"}, runbookNames:{value:$runbooks}, exchangeMode:{value:"api"}}'
    exit 0 ;;
esac
exit 0
`;

/** What `intents permissions --json` prints: only the names matter to deploy.sh. */
const PERMISSIONS = JSON.stringify({ graph: [{ name: "User.ReadWrite.All" }, { name: "Mail.Send" }, { name: "MailboxSettings.ReadWrite" }], entraRoles: [], exchangeRoles: [], byIntent: [] });

interface DeployRun { dir: string; calls: string[][]; stdout: string; stderr: string; status: number | null; node: string }

function run(env: Record<string, string>, args: string[], stubs: Record<string, string> = {}): DeployRun {
  const dir = mkdtempSync(join(tmpdir(), "deploy-"));
  const bin = join(dir, "bin");
  execFileSync("mkdir", [bin]);
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  };
  stub("az", FAKE_AZ);
  stub("curl", "#!/usr/bin/env bash\necho \"$@\" >>\"$FAKE_DIR/curl.log\"\necho 203.0.113.7\n");
  stub("npm", `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/npm.log"\n`);
  // The real `intents permissions` and grant script are tested on their own; here only how deploy.sh calls them matters.
  stub("node", `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/node.log"\necho '${PERMISSIONS}'\n`);
  for (const [name, body] of Object.entries(stubs)) stub(name, body);
  const result = spawnSync("bash", [join(ROOT, "scripts", "deploy.sh"), "--resource-group", "rg-contoso", "--parameters", "infra/main.parameters.json", ...args], {
    encoding: "utf8",
    // No terminal and no standard input, as in a pipeline; retries wait 0 s.
    env: { ...process.env, PATH: `${bin}:${env.SYSTEM_PATH ?? process.env.PATH}`, FAKE_DIR: dir, FAKE_RUNBOOKS: JSON.stringify(RUNBOOKS), DEPLOY_RETRY_DELAY_SECONDS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const read = (file: string): string => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : "");
  const calls = read("az.log").trim().split("\n").filter(Boolean).map((line) => line.split("\t").slice(0, -1));
  return { dir, calls, stdout: result.stdout, stderr: result.stderr, status: result.status, node: read("node.log") };
}

function deploy(env: Record<string, string> = {}, extraArgs: string[] = []): DeployRun {
  const result = run(env, ["--skip-grants", ...extraArgs]);
  if (result.status !== 0) throw new Error(`deploy.sh exited ${result.status}: ${result.stderr}`);
  return result;
}

const find = (calls: string[][], ...words: string[]): string[][] => calls.filter((c) => words.every((w, i) => c[i] === w));

describe("scripts/deploy.sh (against a recording az)", () => {
  // One first deployment serves the first two tests: each run pays for `intents permissions`.
  let first: ReturnType<typeof deploy> | undefined;
  const firstDeployment = (): ReturnType<typeof deploy> => (first ??= deploy());

  it("first deployment: generates the shared secret into an ARM parameters file, never onto a command line", () => {
    const { dir, calls, stdout } = firstDeployment();
    const [deployment] = find(calls, "deployment", "group", "create");
    expect(deployment).toBeDefined();
    expect(deployment).toEqual(expect.arrayContaining(["--template-file", "infra/main.bicep", "operatorPrincipalId=operator-object-id"]));
    const handed = [1, 2].map((n) => JSON.parse(readFileSync(join(dir, `parameters-${n}.json`), "utf8")) as Record<string, { value: string }>);
    const secret = handed[1]?.intentSharedSecret?.value ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9+/]{64}$/);
    // The approval links' signing key, generated the same way, in the same file, another value.
    const approvalKey = handed[1]?.approvalSigningKey?.value ?? "";
    expect(approvalKey).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(approvalKey).not.toBe(secret);
    const everything = JSON.stringify(calls) + stdout + readFileSync(join(dir, "npm.log"), "utf8");
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(approvalKey);
    expect(stdout).toContain("a new approval signing key will be stored in Key Vault as APPROVAL-SIGNING-KEY");
    const secretFile = (deployment ?? []).find((a) => a.endsWith("secret.parameters.json"))?.slice(1) ?? "";
    expect(existsSync(secretFile)).toBe(false);
    expect(stdout).toContain("az keyvault secret show --vault-name contoso-kv --name INTENT-SHARED-SECRET");
    expect(stdout).toContain("Webhook URL:            https://contoso-func.azurewebsites.net/api/intent");
  });

  it("publishes the package through a temporary SCM rule for this machine only, then every runbook, then restarts", () => {
    const { calls } = firstDeployment();
    const added = find(calls, "functionapp", "config", "access-restriction", "add");
    const removed = find(calls, "functionapp", "config", "access-restriction", "remove");
    expect(added).toHaveLength(1);
    expect(added[0]).toEqual(expect.arrayContaining(["--scm-site", "true", "--ip-address", "203.0.113.7/32", "--rule-name", "deploy-temporary"]));
    expect(removed).toHaveLength(1);
    const zipAt = calls.findIndex((c) => c.includes("config-zip"));
    expect(zipAt).toBeGreaterThan(calls.indexOf(added[0] as string[]));
    expect(zipAt).toBeLessThan(calls.indexOf(removed[0] as string[]));
    expect(calls[zipAt]).toEqual(expect.arrayContaining(["--src", "dist/function-app.zip"]));

    const published = find(calls, "automation", "runbook", "publish").map((c) => c[c.indexOf("--name") + 1]);
    expect(published).toEqual(RUNBOOKS);
    for (const name of RUNBOOKS) {
      expect(find(calls, "automation", "runbook", "replace-content").some((c) => c.includes(`@runbooks/${name}.ps1`))).toBe(true);
    }
    expect(find(calls, "functionapp", "restart")).toHaveLength(1);
  });

  it("computes the permissions with the CLI and, with --skip-grants, prints the grant command instead of running it", () => {
    const { node, stdout } = firstDeployment();
    expect(node.trim().split("\n")).toEqual(["bin/intents.cjs permissions --json"]);
    expect(stdout).toMatch(/grant-graph-permissions\.ts --permissions permissions\.json --function-principal-id func-principal --automation-principal-id auto-principal --exchange-mode api/);
  });

  it("says that event-triggered intents are off when no notification source is allowed in, and not when one is", () => {
    const { stdout } = firstDeployment();
    expect(stdout).toContain("Notifications URL:      https://contoso-func.azurewebsites.net/api/notifications");
    expect(stdout).toMatch(/Change notifications are off[\s\S]*notificationSourceAddresses/);
    const opened = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", FAKE_REACHABLE: "true" }, ["--skip-code"]);
    expect(opened.stdout).toContain("Notifications URL:");
    expect(opened.stdout).not.toContain("Change notifications are off");
  });

  it("redeployment keeps the stored secret: no secret parameter is passed", () => {
    const { dir, calls } = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code"]);
    expect(existsSync(join(dir, "parameters-2.json"))).toBe(false);
    expect(find(calls, "functionapp", "deployment")).toHaveLength(0);
    expect(find(calls, "resource", "show")[0]).toEqual(expect.arrayContaining(["--parent", "vaults/contoso-kv", "--name", "INTENT-SHARED-SECRET"]));
    expect(find(calls, "resource", "show")[1]).toEqual(expect.arrayContaining(["--parent", "vaults/contoso-kv", "--name", "APPROVAL-SIGNING-KEY"]));
  });

  it("an earlier deployment without approvals gets the signing key alone, and keeps its shared secret", () => {
    const { dir, stdout } = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", FAKE_SECRET_MISSING: "APPROVAL-SIGNING-KEY" }, ["--skip-code"]);
    const handed = JSON.parse(readFileSync(join(dir, "parameters-2.json"), "utf8")) as Record<string, { value: string }>;
    expect(Object.keys(handed)).toEqual(["approvalSigningKey"]);
    expect(handed.approvalSigningKey?.value).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(stdout).not.toContain("a new shared secret");
  });
});

describe("scripts/deploy.sh: unattended, retried, careful with its own address", () => {
  it("installs the automation extension without a prompt, and lets az install any other one the same way", () => {
    const fresh = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code"]);
    const added = find(fresh.calls, "extension", "add");
    expect(added).toHaveLength(1);
    expect(added[0]).toEqual(expect.arrayContaining(["--name", "automation", "--yes"]));
    expect(fresh.calls.findIndex((c) => c[0] === "extension" && c[1] === "add")).toBeLessThan(fresh.calls.findIndex((c) => c[0] === "automation"));
    expect(readFileSync(join(fresh.dir, "az.env"), "utf8").trim()).toBe("yes_without_prompt");
    const installed = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", FAKE_EXTENSION: "1" }, ["--skip-code"]);
    expect(find(installed.calls, "extension", "add")).toHaveLength(0);
  });

  it("retries the code upload while the app's new role or the temporary rule is not yet in effect, then goes on", () => {
    const { calls, stderr } = deploy({
      FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1",
      FAKE_FAIL_FUNCTIONAPP_DEPLOYMENT_SOURCE: "2", FAKE_ERROR_FUNCTIONAPP_DEPLOYMENT_SOURCE: "ERROR: Status Code: 403, AuthorizationPermissionMismatch",
    });
    expect(calls.filter((c) => c.includes("config-zip"))).toHaveLength(3);
    expect(stderr).toMatch(/publishing the code: Azure has not caught up with a new identity or role yet; retrying in 0s \(2 of 5\)/);
    expect(find(calls, "functionapp", "config", "access-restriction", "remove")).toHaveLength(1);
    expect(find(calls, "functionapp", "restart")).toHaveLength(1);
  });

  it("retries the deployment while a new identity is not found, but stops at once on any other error", () => {
    const replicated = deploy({
      FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1",
      FAKE_FAIL_DEPLOYMENT_GROUP_CREATE: "1", FAKE_ERROR_DEPLOYMENT_GROUP_CREATE: "ERROR: PrincipalNotFound: Principal abc does not exist in the directory",
    }, ["--skip-code"]);
    expect(find(replicated.calls, "deployment", "group", "create")).toHaveLength(2);
    const broken = run({
      FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1",
      FAKE_FAIL_DEPLOYMENT_GROUP_CREATE: "1", FAKE_ERROR_DEPLOYMENT_GROUP_CREATE: "ERROR: InvalidTemplateDeployment: the template is not valid",
    }, ["--skip-grants", "--skip-code"]);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain("deploy: the deployment failed");
    expect(find(broken.calls, "deployment", "group", "create")).toHaveLength(1);
    expect(find(broken.calls, "automation")).toHaveLength(0);
  });

  it("gives up after the last attempt when the error persists", () => {
    const stuck = run({
      FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", DEPLOY_RETRY_ATTEMPTS: "3",
      FAKE_FAIL_FUNCTIONAPP_DEPLOYMENT_SOURCE: "9", FAKE_ERROR_FUNCTIONAPP_DEPLOYMENT_SOURCE: "ERROR: 403 Forbidden",
    }, ["--skip-grants"]);
    expect(stuck.status).not.toBe(0);
    expect(stuck.calls.filter((c) => c.includes("config-zip"))).toHaveLength(3);
    // The exit trap still closes the SCM site.
    expect(find(stuck.calls, "functionapp", "config", "access-restriction", "remove")).toHaveLength(1);
  });

  it("runs the grants itself with retries while Graph does not know the new identity yet", () => {
    const grantsFailOnce = `#!/usr/bin/env bash
echo "$@" >>"$FAKE_DIR/node.log"
case "$*" in
  *grant-graph-permissions*) [ -f "$FAKE_DIR/granted-once" ] || { touch "$FAKE_DIR/granted-once"; echo "grant-graph-permissions: Resource 'func-principal' does not exist or one of its queried reference-property objects are not present." >&2; exit 1; } ;;
  *) echo '${PERMISSIONS}' ;;
esac
`;
    const result = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code"], { node: grantsFailOnce });
    expect(result.status).toBe(0);
    const grants = result.node.split("\n").filter((line) => line.includes("grant-graph-permissions"));
    expect(grants).toHaveLength(2);
    expect(grants[0]).toMatch(/--function-principal-id func-principal --automation-principal-id auto-principal --exchange-mode api$/);
  });

  it("opens the SCM site only to an address two lookup services agree on", () => {
    const disagreeing = `#!/usr/bin/env bash
echo "$@" >>"$FAKE_DIR/curl.log"
case "$*" in *ipify*) echo 198.51.100.1 ;; *ifconfig.me*) echo 203.0.113.9 ;; *icanhazip*) echo not-an-address ;; *) echo 203.0.113.9 ;; esac
`;
    const agreed = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-grants"], { curl: disagreeing });
    expect(agreed.status).toBe(0);
    expect(find(agreed.calls, "functionapp", "config", "access-restriction", "add")[0]).toEqual(expect.arrayContaining(["--ip-address", "203.0.113.9/32"]));

    const split = `#!/usr/bin/env bash\ncase "$*" in *ipify*) echo 198.51.100.1 ;; *ifconfig.me*) echo 203.0.113.9 ;; *) exit 6 ;; esac\n`;
    const refused = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-grants"], { curl: split });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("two IP lookup services did not agree on this machine's public address; pass --deployer-ip");
    expect(find(refused.calls, "functionapp", "config", "access-restriction", "add")).toHaveLength(0);
    expect(refused.calls.some((c) => c.includes("config-zip"))).toBe(false);
  });

  it("takes the deployer's address from --deployer-ip without any lookup, and refuses one that is not IPv4", () => {
    const given = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--deployer-ip", "192.0.2.44"]);
    expect(find(given.calls, "functionapp", "config", "access-restriction", "add")[0]).toEqual(expect.arrayContaining(["--ip-address", "192.0.2.44/32"]));
    expect(existsSync(join(given.dir, "curl.log"))).toBe(false);
    const wrong = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-grants", "--deployer-ip", "192.0.2.444"]);
    expect(wrong.status).toBe(2);
    expect(find(wrong.calls, "functionapp", "config", "access-restriction", "add")).toHaveLength(0);
  });
});

describe("scripts/deploy.sh --what-if", () => {
  const changes = (calls: string[][]): string[][] => calls.filter((c) =>
    (c[0] === "group" && c[1] === "create") || (c[0] === "deployment" && c[2] === "create") || c[0] === "functionapp" || c[0] === "automation" || (c[0] === "extension" && c[1] === "add"));

  it("shows Azure's what-if, the runbooks and the permissions, and changes nothing", () => {
    const { calls, stdout, status, node, dir } = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--what-if", "--mail-scope", "helpdesk-served@contoso.com"]);
    expect(status).toBe(0);
    expect(changes(calls)).toEqual([]);
    const whatIf = find(calls, "deployment", "group", "what-if");
    expect(whatIf).toHaveLength(1);
    expect(whatIf[0]).toEqual(expect.arrayContaining(["--template-file", "infra/main.bicep", "@infra/main.parameters.json"]));
    expect(whatIf[0]?.some((a) => a.includes("secret"))).toBe(false);
    expect(stdout).toContain("Resource changes: 1 to modify.");
    expect(stdout).toContain(`runbooks that would be published: ${[...RUNBOOKS].sort().join(", ")}`);
    expect(stdout).not.toContain("a new shared secret");
    expect(stdout).toMatch(/--mail-scope: Mail\.Send,MailboxSettings\.ReadWrite would be granted through Exchange RBAC for Applications/);
    expect(node.trim().split("\n")).toEqual(["bin/intents.cjs permissions --json", "bin/intents.cjs permissions"]);
    expect(existsSync(join(dir, "npm.log"))).toBe(false);
  });

  it("says everything would be created when the resource group does not exist yet", () => {
    const { calls, stdout, status } = run({ FAKE_GROUP_EXISTS: "false" }, ["--what-if"]);
    expect(status).toBe(0);
    expect(changes(calls)).toEqual([]);
    expect(find(calls, "deployment", "group", "what-if")).toHaveLength(0);
    expect(stdout).toContain("resource group rg-contoso does not exist: every resource in infra/main.bicep would be created in westeurope");
    expect(stdout).toContain("a new shared secret would be stored in Key Vault as INTENT-SHARED-SECRET");
  });
});

describe("scripts/deploy.sh --mail-scope", () => {
  const pwsh = `#!/usr/bin/env bash\nprintf '%s\\t' "$@" >>"$FAKE_DIR/pwsh.log"; echo >>"$FAKE_DIR/pwsh.log"\n`;

  it("scopes the mail permissions in Exchange first, then revokes their tenant-wide grants", () => {
    const grantsLogged = `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/node.log"\ncase "$*" in *grant-graph-permissions*) date +%s%N >"$FAKE_DIR/granted-at" ;; *) echo '${PERMISSIONS}' ;; esac\n`;
    const pwshTimed = `${pwsh}date +%s%N >"$FAKE_DIR/scoped-at"\n`;
    const result = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code", "--mail-scope", "served-users@contoso.com"], { pwsh: pwshTimed, node: grantsLogged });
    expect(result.status).toBe(0);
    const args = readFileSync(join(result.dir, "pwsh.log"), "utf8").trim().split("\t");
    expect(args).toEqual(["-NoLogo", "-NoProfile", "-File", "scripts/scope-mail-permissions.ps1",
      "-AppId", "func-app-id", "-ServicePrincipalId", "func-principal",
      "-MailSendMailbox", "intents@REPLACE.com", "-MailboxSettingsGroup", "served-users@contoso.com"]);
    expect(find(result.calls, "ad", "sp", "show")[0]).toEqual(expect.arrayContaining(["--id", "func-principal", "--query", "appId"]));
    const grant = result.node.split("\n").find((line) => line.includes("grant-graph-permissions")) ?? "";
    expect(grant).toMatch(/--exchange-scoped Mail\.Send,MailboxSettings\.ReadWrite$/);
    const at = (file: string): bigint => BigInt(readFileSync(join(result.dir, file), "utf8").trim());
    expect(at("scoped-at") < at("granted-at")).toBe(true);
  });

  it("refuses before touching Azure when PowerShell is not installed", () => {
    // A PATH with no pwsh on it: the stubs, and links to the few system tools deploy.sh needs first.
    const system = mkdtempSync(join(tmpdir(), "deploy-path-"));
    for (const tool of ["bash", "dirname", "jq", "zip", "openssl"]) {
      symlinkSync(execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), join(system, tool));
    }
    const result = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", SYSTEM_PATH: system }, ["--mail-scope", "served-users@contoso.com"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--mail-scope needs PowerShell 7 (pwsh) with the ExchangeOnlineManagement module");
    expect(result.calls).toEqual([]);
  });

  it("says the mail permissions are tenant-wide when they are not scoped", () => {
    const { stdout } = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code"]);
    expect(stdout).toMatch(/Mail\.Send and MailboxSettings\.ReadWrite are granted tenant-wide; --mail-scope GROUP narrows them/);
  });
});

describe("scripts/deploy.sh as a script", () => {
  const script = readFileSync(join(ROOT, "scripts", "deploy.sh"), "utf8");
  const code = script.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");

  it("is shellcheck-clean (apt-get install shellcheck, or brew install shellcheck)", () => {
    const found = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    expect(found.error, "shellcheck is not installed: apt-get install shellcheck").toBeUndefined();
    const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", join(ROOT, "scripts", "deploy.sh")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("uses nothing bash 3.2 (macOS) lacks, and expands arrays that may be empty safely under set -u", () => {
    const newer: Array<[RegExp, string]> = [
      [/\bdeclare -[An]\b|\blocal -n\b/, "associative arrays and namerefs (bash 4)"],
      [/\b(mapfile|readarray|coproc)\b/, "mapfile/readarray/coproc (bash 4)"],
      [/\$\{\w+(,,|\^\^|,|\^)\}/, "case modification (bash 4)"],
      [/&>>|\|&/, "&>> and |& (bash 4)"],
      [/\bwait -n\b|\$EPOCHSECONDS|\$EPOCHREALTIME|\$\{\w+@[QEPAa]\}/, "bash 4.3+ / 5 features"],
    ];
    for (const [pattern, what] of newer) expect(code, what).not.toMatch(pattern);
    // Arrays assigned empty somewhere (x=()) may only be expanded with the ${x[@]+"${x[@]}"} guard.
    for (const match of code.matchAll(/\b(\w+)=\(\)/g)) {
      const name = match[1] as string;
      const unguarded = [...code.matchAll(new RegExp(`"\\$\\{${name}\\[@\\]\\}"`, "g"))].filter((m) => code.slice(Math.max(0, (m.index ?? 0) - name.length - 6), m.index) !== `\${${name}[@]+`);
      expect(unguarded.length, `"\${${name}[@]}" without the +guard`).toBe(0);
    }
  });

  it("hands scope-mail-permissions.ps1 exactly the parameters its param() block declares", () => {
    const ps1 = readFileSync(join(ROOT, "scripts", "scope-mail-permissions.ps1"), "utf8");
    const declared = parsePsParameters(ps1);
    const passed = [...script.matchAll(/(?:scope_args=\(|scope_args\+=\()([^)]*)\)/g)].flatMap((m) => [...(m[1] as string).matchAll(/(?:^|\s)-(\w+)/g)].map((p) => p[1] as string));
    expect(passed.sort()).toEqual(["AppId", "MailSendMailbox", "MailboxSettingsGroup", "ServicePrincipalId"]);
    for (const name of passed) expect(declared.map((p) => p.name), name).toContain(name);
    expect(declared.filter((p) => p.mandatory).map((p) => p.name).sort()).toEqual(["AppId", "ServicePrincipalId"]);
    // RBAC for Applications: the app's pointer, a scope per permission, the role assignments.
    expect(ps1).toMatch(/New-ServicePrincipal -AppId \$AppId -ObjectId \$ServicePrincipalId/);
    expect(ps1).toMatch(/Set-ScopedRole 'Application Mail\.Send' [^\n]*"PrimarySmtpAddress -eq /);
    expect(ps1).toMatch(/Set-ScopedRole 'Application MailboxSettings\.ReadWrite' [^\n]*"MemberOfGroup -eq /);
    expect(ps1).toMatch(/New-ManagementRoleAssignment -App \$ServicePrincipalId -Role \$Role -CustomResourceScope \$ScopeName/);
  });
});

describe("scripts/deploy.sh remembers the mail scoping", () => {
  it("records the group with the deployment, and a later deployment keeps it without PowerShell", () => {
    const pwsh = `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/pwsh.log"\n`;
    const first = run({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code", "--skip-grants", "--mail-scope", "served@contoso.com"], { pwsh });
    expect(find(first.calls, "deployment", "group", "create")[0]).toContain("mailScopeGroup=served@contoso.com");

    // `deployment group show` answers what the last deployment was given.
    const remembered = { FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1", FAKE_PREVIOUS_MAIL_SCOPE: "served@contoso.com" };
    const later = run(remembered, ["--skip-code", "--skip-grants"], { pwsh });
    expect(later.status).toBe(0);
    expect(find(later.calls, "deployment", "group", "create")[0]).toContain("mailScopeGroup=served@contoso.com");
    expect(existsSync(join(later.dir, "pwsh.log"))).toBe(false);
    expect(later.stdout).toMatch(/grant-graph-permissions\.ts [^\n]* --exchange-scoped Mail\.Send,MailboxSettings\.ReadWrite/);

    const forgotten = run(remembered, ["--skip-code", "--skip-grants", "--no-mail-scope"], { pwsh });
    expect(find(forgotten.calls, "deployment", "group", "create")[0]).toContain("mailScopeGroup=");
    expect(forgotten.stdout).not.toContain("--exchange-scoped");
    expect(forgotten.stdout).toContain("Mail.Send and MailboxSettings.ReadWrite are granted tenant-wide");
  });
});
