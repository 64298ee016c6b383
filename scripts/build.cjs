#!/usr/bin/env node
/**
 * `npm run build`, also run by `npm ci` (as `prepare`): compiles engine/ and sandbox/ into dist/
 * with tsc, copies beside the compiled modules the data files they read from their own folder
 * (tsc copies only JSON that is imported), stamps dist/ with a fingerprint of the sources so
 * bin/compiled.cjs can tell a current build from a stale one, and writes the catalogue snapshot and
 * the precompiled validators, and bundles the Function App's entry and the command line into one
 * file each (scripts/bundle.cjs), the command line's with a V8 code cache (scripts/code-cache.cjs).
 *
 * Plain JavaScript: it must run before anything is compiled and without tsx.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { ROOT, DIST, sourceFingerprint } = require("../bin/compiled.cjs");
const { writeCodeCache } = require("./code-cache.cjs");

/** Data files a compiled module reads beside itself: repository path → the same path under dist/. */
const ASSETS = [
  "engine/contracts/graph-metadata/graph-v1.0.index.json",
  "engine/contracts/graph-metadata/LICENSE-graph-metadata.txt",
  "engine/contracts/graph-permissions/graph-permissions.index.json",
  "engine/contracts/graph-permissions/LICENSE-graph-permissions.txt",
  "sandbox/fixtures",
  "engine/inbound/console/assets",
];

function typescriptCompiler() {
  try {
    return require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  } catch {
    return undefined;
  }
}

/** Builds into dist/ (or `outDir`, for a build beside the checkout's own). */
function build(options = {}) {
  const outDir = options.outDir ?? DIST;
  const stamp = join(outDir, "build-stamp.json");
  const tsc = typescriptCompiler();
  if (!tsc) {
    // An install without devDependencies (npm ci --omit=dev) has no compiler; it keeps what dist/ has.
    process.stderr.write(`build: typescript is not installed; ${existsSync(stamp) ? "keeping the existing build" : "nothing is built"}\n`);
    return 0;
  }
  const fingerprint = sourceFingerprint();
  rmSync(stamp, { force: true });
  // A module moved or deleted in the sources must not live on in the build.
  for (const output of ["engine", "sandbox", "schemas"]) rmSync(join(outDir, output), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", outDir], { stdio: "inherit", cwd: ROOT });
  for (const asset of ASSETS) {
    mkdirSync(dirname(join(outDir, asset)), { recursive: true });
    cpSync(join(ROOT, asset), join(outDir, asset), { recursive: true });
  }
  // dist/function-app.js and dist/cli.js (scripts/bundle.cjs): in a process of its own, as esbuild's plugins need its asynchronous API.
  execFileSync(process.execPath, [join(__dirname, "bundle.cjs"), ROOT, outDir], { stdio: "inherit", cwd: ROOT });
  writeFileSync(stamp, JSON.stringify({ sources: fingerprint, builtAt: new Date().toISOString() }, null, 2) + "\n");
  const snapshot = writeCatalogSnapshot(outDir);
  writeValidators(outDir, snapshot ? snapshot.intents.map((intent) => intent.spec) : []);
  // Last: the training start it records runs the build as finished (snapshot, validators, stamp).
  const cache = writeCodeCache(ROOT, outDir);
  if (!cache.made) process.stderr.write(`build: ${cache.line}\n`);
  return 0;
}

/**
 * Ajv's standalone code for every schema the app validates against at run time, into
 * <outDir>/precompiled-validators/: a starting process then generates no validator code.
 */
function writeValidators(outDir, intents) {
  const { runtimeSchemas, writePrecompiledValidators } = require(join(outDir, "engine", "language", "spec", "precompile.js"));
  const { builtinKindSpecs } = require(join(outDir, "engine", "kinds", "index.js"));
  writePrecompiledValidators(join(outDir, "precompiled-validators"), runtimeSchemas(builtinKindSpecs(), intents));
}

/**
 * The intents validated and compiled once, here, into <outDir>/catalog-snapshot.json, which a
 * starting process loads instead of the YAML while it matches the intents and this build. Invalid
 * intents leave no snapshot (the build still succeeds, so a work in progress does not stop `npm ci`).
 */
function writeCatalogSnapshot(outDir) {
  const intents = join(ROOT, "intents");
  const path = join(outDir, "catalog-snapshot.json");
  if (!existsSync(intents)) return undefined;
  const { writeSnapshot } = require(join(outDir, "engine", "language", "spec", "snapshot-write.js"));
  const { engineIdentity } = require(join(outDir, "engine", "language", "spec", "snapshot.js"));
  const { builtinKindSpecs } = require(join(outDir, "engine", "kinds", "index.js"));
  const outcome = writeSnapshot(path, builtinKindSpecs(), intents, engineIdentity(outDir));
  if (outcome.diagnostics) {
    process.stderr.write(`build: no catalogue snapshot: ${outcome.diagnostics.length} problem(s) in the intents (\`npx intents lint intents\` lists them); a process compiles them from YAML at start\n`);
    return undefined;
  }
  return outcome.snapshot;
}

module.exports = { ASSETS, build };

if (require.main === module) {
  try {
    process.exitCode = build();
  } catch (error) {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
