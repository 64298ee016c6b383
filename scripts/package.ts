/**
 * `npm run package`: the deployable zip for zip deploy (Flex Consumption) or
 * WEBSITE_RUN_FROM_PACKAGE: compiled JavaScript (the bundle the host loads, dist/function-app.js,
 * and the compiled modules beside whose folders its data files sit), production dependencies only
 * (the ones the bundle leaves to `require`, e.g. OpenTelemetry, load from there), host.json, the
 * intents, the requester policy file when there is one, the schemas and the runbook manifest. Data files go under dist/ beside the compiled
 * engine, where the code's `__dirname`-relative lookups find them (dist/engine/language/spec → ../../../intents
 * is dist/intents, as engine/language/spec → ../../../intents is intents/ in the repository).
 *
 * Dependencies are copied from the installed node_modules as package-lock.json lists them
 * (entries not marked dev), so packaging needs no network and ships exactly the locked versions.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { IntentError, ensureIntentError } from "../engine/core/errors";
import { engineIdentity, readSnapshot, staleness } from "../engine/language/spec/snapshot";

const ROOT = resolve(__dirname, "..");
/** What the Function App reads at run time besides compiled code and dependencies: repository path → package path. */
export const RUNTIME_FILES: Readonly<Record<string, string>> = {
  "host.json": "host.json",
  intents: "dist/intents",
  schemas: "dist/schemas",
  "runbooks/runbooks.json": "dist/runbooks/runbooks.json",
  // Read beside its module at run time (tsc copies no JSON that is not imported).
  "engine/contracts/graph-metadata/graph-v1.0.index.json": "dist/engine/contracts/graph-metadata/graph-v1.0.index.json",
  "engine/contracts/graph-metadata/LICENSE-graph-metadata.txt": "dist/engine/contracts/graph-metadata/LICENSE-graph-metadata.txt",
  // The intents as the build validated and compiled them, and the build they belong to.
  "dist/catalog-snapshot.json": "dist/catalog-snapshot.json",
  "dist/build-stamp.json": "dist/build-stamp.json",
  // Ajv's standalone code for the schemas validated at run time (webhook, step inputs, intents' own).
  "dist/precompiled-validators": "dist/precompiled-validators",
  // package.json's main: the Function App's modules and the packages they import in one file (scripts/bundle.cjs),
  // its source map (node --enable-source-maps) and the bundled packages' licence notices.
  "dist/function-app.js": "dist/function-app.js",
  "dist/function-app.js.map": "dist/function-app.js.map",
  "dist/function-app.js.LEGAL.txt": "dist/function-app.js.LEGAL.txt",
};

/** The deployment's requester policy, when the repository has one beside intents/: the app reads it there (dist/policy.yaml). */
export const OPTIONAL_RUNTIME_FILES: Readonly<Record<string, string>> = {
  "policy.yaml": "dist/policy.yaml",
};

interface LockEntry { dev?: boolean; devOptional?: boolean; optional?: boolean; link?: boolean }

/** `node_modules/…` paths of every production package in a lockfile (v2/v3 `packages` map). */
export function productionPackagePaths(lock: { packages?: Record<string, LockEntry> }): string[] {
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev && !entry.devOptional)
    .map(([path]) => path)
    .sort();
}

/** Copies one package without its nested node_modules (those are separate lockfile entries). */
function copyPackage(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === "node_modules") continue;
    cpSync(join(from, entry), join(to, entry), { recursive: true, dereference: true });
  }
}

function copyDependencies(root: string, stage: string): number {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages?: Record<string, LockEntry> };
  const modules = realpathSync(join(root, "node_modules"));
  let copied = 0;
  for (const path of productionPackagePaths(lock)) {
    const source = join(modules, path.slice("node_modules/".length));
    if (!existsSync(source)) {
      if (lock.packages?.[path]?.optional) continue; // a platform-specific optional package
      throw new IntentError("CONFIG_MISSING", `${path} is in package-lock.json but not installed.`, { fix: "Run `npm ci` first." });
    }
    copyPackage(realpathSync(source), join(stage, path));
    copied++;
  }
  return copied;
}

function stagedPackageJson(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  // The host needs name, version, main and the dependency list; scripts and tooling stay behind.
  const { name, version, main, dependencies, engines } = pkg;
  return JSON.stringify({ name, version, private: true, main, engines, dependencies }, null, 2) + "\n";
}

export interface PackageResult { zip: string; dependencies: number }

/** A package carries the catalogue snapshot of exactly its intents and build, or is not made. */
function checkSnapshot(root: string): void {
  const snapshot = readSnapshot(join(root, "dist", "catalog-snapshot.json"));
  if (!snapshot) {
    throw new IntentError("CONFIG_MISSING", "dist/catalog-snapshot.json is missing: the build writes it only when every intent is valid.", { fix: "Run `npx intents lint intents`, fix what it reports, then package again." });
  }
  const reason = staleness(snapshot, join(root, "intents"), engineIdentity(join(root, "dist")));
  if (reason !== undefined) throw new IntentError("CONFIG_MISSING", `dist/catalog-snapshot.json does not match: ${reason}.`, { fix: "Run `npm run build`, then package again." });
}

export function buildPackage(options: { root?: string; out?: string; compile?: boolean } = {}): PackageResult {
  const root = options.root ?? ROOT;
  const out = options.out ?? join(root, "dist", "function-app.zip");
  if (options.compile !== false) {
    // The same build `npm ci` runs: tsc plus the data files the compiled modules read beside themselves.
    execFileSync(process.execPath, [join(root, "scripts", "build.cjs")], { stdio: "inherit" });
  }
  checkSnapshot(root);
  const stage = mkdtempSync(join(tmpdir(), "intent-package-"));
  try {
    cpSync(join(root, "dist", "engine"), join(stage, "dist", "engine"), { recursive: true });
    if (existsSync(join(root, "dist", "sandbox"))) cpSync(join(root, "dist", "sandbox"), join(stage, "dist", "sandbox"), { recursive: true });
    for (const [file, target] of Object.entries(RUNTIME_FILES)) {
      if (!existsSync(join(root, file))) throw new IntentError("CONFIG_MISSING", `${file} is missing; the package needs it.`);
      cpSync(join(root, file), join(stage, target), { recursive: true });
    }
    for (const [file, target] of Object.entries(OPTIONAL_RUNTIME_FILES)) {
      if (existsSync(join(root, file))) cpSync(join(root, file), join(stage, target));
    }
    writeFileSync(join(stage, "package.json"), stagedPackageJson(root));
    const dependencies = copyDependencies(root, stage);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    // -X: no extra file attributes (uid/gid, timestamps beyond the standard ones).
    execFileSync("zip", ["-q", "-r", "-X", out, "."], { cwd: stage, stdio: "inherit" });
    return { zip: out, dependencies };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === __filename) {
  try {
    const { zip, dependencies } = buildPackage();
    const mb = (statSync(zip).size / 1024 / 1024).toFixed(1);
    process.stdout.write(`package: ${zip} (${mb} MB, ${dependencies} production packages)\n`);
  } catch (error) {
    const failure = ensureIntentError(error);
    process.stderr.write(`package: ${failure.message}${failure.fix ? `\n  fix: ${failure.fix}` : ""}\n`);
    process.exitCode = 1;
  }
}
