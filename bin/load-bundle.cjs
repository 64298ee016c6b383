// Loads one of the build's bundles (dist/cli.js, dist/function-app.js) with the V8 code cache the
// build made for it (scripts/code-cache.cjs): the functions a start runs are then read compiled
// instead of being parsed and compiled in every new process. Without a cache made from this very
// bundle, the bundle is required as any module. V8 itself refuses a cache made by another Node
// version or with other V8 flags, and the bundle then compiles as it would without one.
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, readFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, resolve } = require("node:path");
const vm = require("node:vm");

/** Where a bundle's code cache is kept: the cache itself, and what it was made from. */
function codeCachePaths(bundle) {
  return { data: `${bundle}.code-cache`, key: `${bundle}.code-cache.json` };
}

/** What a code cache is valid for: the bundle's exact text (V8 checks only its length). */
function sourceDigest(source) {
  return createHash("sha256").update(source).digest("hex");
}

/** The bundle compiled as Node compiles a CommonJS module, with `cachedData` when given. */
function compileBundle(bundle, source, cachedData) {
  return new vm.Script(Module.wrap(source), {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
    // The bundle's few `import()`s (packages loaded on use) go to Node's own loader, as in a module it requires.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

/** Runs a compiled bundle as the module `bundle`, registered so a later require of it gets the same exports. */
function runBundle(bundle, script) {
  const module = new Module(bundle, null);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  Module._cache[bundle] = module;
  try {
    const wrapper = script.runInThisContext({ displayErrors: true });
    wrapper.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  } catch (error) {
    delete Module._cache[bundle];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/** The cache made from this bundle's text, or undefined. */
function cacheFor(bundle, source) {
  const paths = codeCachePaths(bundle);
  if (!existsSync(paths.data) || !existsSync(paths.key)) return undefined;
  try {
    if (JSON.parse(readFileSync(paths.key, "utf8")).source !== sourceDigest(source)) return undefined;
    return readFileSync(paths.data);
  } catch {
    return undefined;
  }
}

/** How each bundle loaded here used its code cache: "accepted", "rejected" (by V8: another Node or other flags) or "none". */
const cacheUse = new Map();

/** The bundle's exports, loaded with its code cache where the build left one that fits. */
function loadBundle(file) {
  const bundle = resolve(file);
  if (Module._cache[bundle]) return Module._cache[bundle].exports;
  const source = readFileSync(bundle, "utf8");
  const cachedData = cacheFor(bundle, source);
  if (!cachedData) {
    cacheUse.set(bundle, "none");
    return require(bundle);
  }
  const script = compileBundle(bundle, source, cachedData);
  cacheUse.set(bundle, script.cachedDataRejected ? "rejected" : "accepted");
  return runBundle(bundle, script);
}

/** Whether loading `file` here used its code cache; undefined before it is loaded. */
function codeCacheUse(file) {
  return cacheUse.get(resolve(file));
}

module.exports = { loadBundle, codeCacheUse, compileBundle, runBundle, codeCachePaths, sourceDigest };
