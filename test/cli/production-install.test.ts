/**
 * The CLI as an MSP's own intents repository gets it: the files `npm pack` ships, production
 * dependencies only (no tsx, no TypeScript), run from another folder.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { productionPackagePaths } from "../../scripts/package";

const ROOT = join(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiled = require(join(ROOT, "bin", "compiled.cjs")) as { compiledIsCurrent(): boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require(join(ROOT, "scripts", "build.cjs")) as { build(options?: { outDir?: string }): number };

let install = "";
let msp = "";

function intents(args: string[], cwd = msp): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(install, "bin", "intents.cjs"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  install = mkdtempSync(join(tmpdir(), "intents-install-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Array<{ files: Array<{ path: string }> }>;
  const files = (packed[0]?.files ?? []).map((f) => f.path);
  // The build under test: the checkout's own when it matches the sources, else a fresh one.
  const dist = compiled.compiledIsCurrent() ? join(ROOT, "dist") : (() => {
    const out = join(mkdtempSync(join(tmpdir(), "intents-build-")), "dist");
    build({ outDir: out });
    return out;
  })();
  for (const file of files) {
    const from = file.startsWith("dist/") ? join(dist, file.slice("dist/".length)) : join(ROOT, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(install, file)), { recursive: true });
    cpSync(from, join(install, file));
  }
  for (const path of productionPackagePaths(JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")))) {
    if (path.slice("node_modules/".length).includes("node_modules/") || !existsSync(join(ROOT, path))) continue;
    mkdirSync(dirname(join(install, path)), { recursive: true });
    symlinkSync(join(ROOT, path), join(install, path), "dir");
  }
  // An MSP's repository: its own intents and cases, nothing else.
  msp = mkdtempSync(join(tmpdir(), "msp-intents-"));
  cpSync(join(ROOT, "intents", "revoke-sessions.yaml"), join(msp, "intents", "revoke-sessions.yaml"), { recursive: true });
  mkdirSync(join(msp, "intents", "cases"), { recursive: true });
  cpSync(join(ROOT, "intents", "cases", "revoke-sessions.cases.yaml"), join(msp, "intents", "cases", "revoke-sessions.cases.yaml"));
}, 180_000);

describe("the intents CLI from a production install", () => {
  it("ships the compiled CLI and no TypeScript source, and cannot reach tsx", () => {
    expect(existsSync(join(install, "dist", "engine", "hosts", "cli", "main.js"))).toBe(true);
    expect(existsSync(join(install, "engine"))).toBe(false);
    const probe = spawnSync(process.execPath, ["-e", "require.resolve('tsx/cjs')"], { cwd: join(install, "bin") });
    expect(probe.status).not.toBe(0);
  });

  it("lints, tests and plans the MSP's own intents", () => {
    const lint = intents(["lint", "intents"]);
    expect(lint.stderr).toContain("1 intent file(s) checked, no problems");
    expect(lint.status).toBe(0);

    const cases = intents(["test", "--dir", "intents"]);
    expect(cases.stdout).toMatch(/Revoke Sessions/);
    expect(cases.status).toBe(0);

    writeFileSync(join(msp, "payload.json"), JSON.stringify({ intent_fields: { "User Email": "adele.vance@contoso.com" } }));
    const plan = intents(["plan", "intents/revoke-sessions.yaml", "--input", "payload.json"]);
    expect(JSON.parse(plan.stdout).steps[0].planned).toEqual({ method: "POST", path: "/users/adele.vance%40contoso.com/revokeSignInSessions" });
    expect(plan.status).toBe(0);
  });

  it("reports a broken intent with its file, line and column", () => {
    const broken = readFileSync(join(msp, "intents", "revoke-sessions.yaml"), "utf8").replace(/^risk: .*$/m, "risk: sometimes");
    const dir = join(msp, "broken");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "revoke-sessions.yaml"), broken);
    const lint = intents(["lint", "broken"]);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/^broken\/revoke-sessions\.yaml:\d+:\d+ SPEC_SCHEMA /m);
  });

  it("scaffolds an intent whose editor schema lines lead to the schemas the install ships", () => {
    const made = intents(["new", "Set Job Title", "--dir", "scaffolded"]);
    expect(made.status).toBe(0);
    for (const [file, schema] of [["scaffolded/set-job-title.yaml", "intent.schema.json"], ["scaffolded/cases/set-job-title.cases.yaml", "intent-cases.schema.json"]] as const) {
      const line = readFileSync(join(msp, file), "utf8").split("\n")[0] as string;
      const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(line)?.[1] as string;
      expect(target, line).not.toMatch(/^\//); // relative, so the repository can move
      expect(join(msp, dirname(file), target)).toBe(join(install, "schemas", schema));
    }
  });
});

describe("JSON Schemas shipped with the CLI", () => {
  const schemas = readdirSync(join(ROOT, "schemas")).filter((f) => f.endsWith(".schema.json"));

  it("identify themselves by their own file name, so every copy resolves where it is loaded from", () => {
    expect(schemas.length).toBeGreaterThanOrEqual(3);
    for (const file of schemas) {
      const schema = JSON.parse(readFileSync(join(ROOT, "schemas", file), "utf8")) as { $id?: string };
      expect(schema.$id, file).toBe(file);
      // An editor resolves $id against the URL it loaded the schema from: the shipped copy's own.
      const shipped = pathToFileURL(join(install, "schemas", file)).href;
      expect(new URL(schema.$id as string, shipped).href).toBe(shipped);
      expect(existsSync(join(install, "schemas", file)), `${file} ships with the CLI`).toBe(true);
    }
  });
});

describe("bin/compiled.cjs: a build is current only for the sources it was built from", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sourceFingerprint } = require(join(ROOT, "bin", "compiled.cjs")) as { sourceFingerprint(root: string): string };

  it("changes when a source file is edited, added or removed", () => {
    const root = mkdtempSync(join(tmpdir(), "fingerprint-"));
    mkdirSync(join(root, "engine", "core"), { recursive: true });
    writeFileSync(join(root, "engine", "core", "a.ts"), "export const a = 1;\n");
    const built = sourceFingerprint(root);
    expect(sourceFingerprint(root)).toBe(built);
    writeFileSync(join(root, "engine", "core", "a.ts"), "export const a = 22;\n");
    const edited = sourceFingerprint(root);
    expect(edited).not.toBe(built);
    writeFileSync(join(root, "engine", "core", "b.ts"), "");
    expect(sourceFingerprint(root)).not.toBe(edited);
  });
});
