// Which code the command line runs: the compiled JavaScript in dist/ (built by `npm run build`,
// which `npm ci` runs as `prepare`), or, in a checkout whose TypeScript sources changed since that
// build, the sources through tsx, a devDependency, so an edit is never shadowed by a stale build.
// A production install ships dist/ and no sources, and never needs tsx.
"use strict";
const { existsSync, readFileSync, readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, "build-stamp.json");
/** What a build compiles or copies: a change under any of these makes dist/ stale. */
const SOURCES = ["engine", "sandbox", "schemas", "tsconfig.json", "tsconfig.build.json"];

/** Count, newest modification and total size of the build's sources: cheap, and changes with any edit. */
function sourceFingerprint(root = ROOT) {
  let count = 0;
  let newest = 0;
  let bytes = 0;
  const visit = (path) => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    count++;
    bytes += info.size;
    if (info.mtimeMs > newest) newest = info.mtimeMs;
  };
  for (const source of SOURCES) if (existsSync(join(root, source))) visit(join(root, source));
  return `${count}:${Math.floor(newest)}:${bytes}`;
}

function builtFrom() {
  try {
    return JSON.parse(readFileSync(STAMP, "utf8")).sources;
  } catch {
    return undefined;
  }
}

/** True when dist/ holds a build of the sources as they are now (or there are no sources to compare). */
function compiledIsCurrent() {
  const stamp = builtFrom();
  if (stamp === undefined) return false;
  if (!existsSync(join(ROOT, "engine"))) return true;
  return stamp === sourceFingerprint();
}

function tsxAvailable() {
  try {
    require.resolve("tsx/cjs");
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads an engine module by its path without extension, e.g. "engine/hosts/cli/main"; from the
 * build's bundle of it (one file, quicker to start, with its code cache) when `bundle` names one under dist/.
 */
function loadModule(modulePath, bundle) {
  const bundled = bundle && join(DIST, bundle);
  const compiled = [bundled, join(DIST, `${modulePath}.js`)].find((file) => file && existsSync(file));
  // A bundle loads with the code cache the build made for it (bin/load-bundle.cjs).
  if (compiled && (compiledIsCurrent() || !tsxAvailable())) return compiled === bundled ? require("./load-bundle.cjs").loadBundle(compiled) : require(compiled);
  if (tsxAvailable() && existsSync(join(ROOT, `${modulePath}.ts`))) {
    require("tsx/cjs");
    return require(join(ROOT, `${modulePath}.ts`));
  }
  throw new Error(`${modulePath} is neither built nor runnable from source: run \`npm run build\` (or \`npm ci\`).`);
}

module.exports = { ROOT, DIST, STAMP, SOURCES, sourceFingerprint, compiledIsCurrent, loadModule };
