import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const RUNBOOKS = Object.keys((JSON.parse(readFileSync(join(ROOT, "runbooks", "runbooks.json"), "utf8")) as { runbooks: object }).runbooks);

/**
 * A stand-in `az` that records every call (one line per call, arguments separated by tabs) and
 * answers the few calls whose output deploy.sh reads. The ARM parameters files it is handed are
 * copied aside, since deploy.sh deletes them.
 */
const FAKE_AZ = `#!/usr/bin/env bash
printf '%s\\t' "$@" >>"$FAKE_DIR/az.log"; echo >>"$FAKE_DIR/az.log"
case "$1 $2" in
  "keyvault list") [ -n "\${FAKE_VAULT:-}" ] && echo "$FAKE_VAULT"; exit 0 ;;
  "resource show") [ -n "\${FAKE_SECRET_EXISTS:-}" ]; exit $? ;;
  "ad signed-in-user") echo "operator-object-id"; exit 0 ;;
  "deployment group")
    n=0; for a in "$@"; do case "$a" in @*) n=$((n+1)); cp "\${a#@}" "$FAKE_DIR/parameters-$n.json" ;; esac; done
    jq -n --argjson runbooks "$FAKE_RUNBOOKS" '{webhookUrl:{value:"https://contoso-func.azurewebsites.net/api/intent"},
      functionAppName:{value:"contoso-func"}, functionPrincipalId:{value:"func-principal"},
      automationAccountName:{value:"contoso-auto"}, automationPrincipalId:{value:"auto-principal"},
      keyVaultName:{value:"contoso-kv"}, runbookNames:{value:$runbooks}}'
    exit 0 ;;
esac
exit 0
`;

function deploy(env: Record<string, string> = {}, extraArgs: string[] = []): { dir: string; calls: string[][]; stdout: string; node: string } {
  const dir = mkdtempSync(join(tmpdir(), "deploy-"));
  const bin = join(dir, "bin");
  execFileSync("mkdir", [bin]);
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  };
  stub("az", FAKE_AZ);
  stub("curl", "#!/usr/bin/env bash\necho 203.0.113.7\n");
  stub("npm", `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/npm.log"\n`);
  // The real `intents permissions` is tested on its own; here only how deploy.sh calls it matters.
  stub("node", `#!/usr/bin/env bash\necho "$@" >>"$FAKE_DIR/node.log"\necho '{"graph":[],"entraRoles":[],"exchangeRoles":[],"byIntent":[]}'\n`);
  const stdout = execFileSync("bash", [join(ROOT, "scripts", "deploy.sh"), "--resource-group", "rg-contoso", "--parameters", "infra/main.parameters.json", "--skip-grants", ...extraArgs], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir, FAKE_RUNBOOKS: JSON.stringify(RUNBOOKS), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const calls = readFileSync(join(dir, "az.log"), "utf8").trim().split("\n").map((line) => line.split("\t").slice(0, -1));
  return { dir, calls, stdout, node: readFileSync(join(dir, "node.log"), "utf8") };
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
    const everything = JSON.stringify(calls) + stdout + readFileSync(join(dir, "npm.log"), "utf8");
    expect(everything).not.toContain(secret);
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
    expect(stdout).toMatch(/grant-graph-permissions\.ts --permissions permissions\.json --function-principal-id func-principal --automation-principal-id auto-principal/);
  });

  it("redeployment keeps the stored secret: no secret parameter is passed", () => {
    const { dir, calls } = deploy({ FAKE_VAULT: "contoso-kv", FAKE_SECRET_EXISTS: "1" }, ["--skip-code"]);
    expect(existsSync(join(dir, "parameters-2.json"))).toBe(false);
    expect(find(calls, "functionapp", "deployment")).toHaveLength(0);
    expect(find(calls, "resource", "show")[0]).toEqual(expect.arrayContaining(["--parent", "vaults/contoso-kv", "--name", "INTENT-SHARED-SECRET"]));
  });
});
