#!/usr/bin/env node
/**
 * `npm run build`, also run by `npm ci` (as `prepare`): compiles engine/ and sandbox/ into dist/
 * with tsc, copies beside the compiled modules the data files they read from their own folder
 * (tsc copies only JSON that is imported), and stamps dist/ with a fingerprint of the sources so
 * bin/compiled.cjs can tell a current build from a stale one.
 *
 * Plain JavaScript: it must run before anything is compiled and without tsx.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { ROOT, DIST, sourceFingerprint } = require("../bin/compiled.cjs");

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
  writeFileSync(stamp, JSON.stringify({ sources: fingerprint, builtAt: new Date().toISOString() }, null, 2) + "\n");
  return 0;
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
