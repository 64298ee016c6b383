/**
 * Part of `npm run build`: the Function App's entry and the command line, each bundled by esbuild
 * into one file with the production dependencies it imports (dist/function-app.js, package.json's
 * `main`; dist/cli.js, which bin/intents.cjs runs). A starting process then reads and compiles one
 * file instead of resolving, reading and compiling some 700 modules one by one.
 *
 * The modules tsc compiles stay under dist/engine and dist/sandbox, with the data files each reads
 * beside itself; in the bundle, a module's `__dirname` names the folder its compiled twin is in, so
 * every such lookup lands where it did.
 *
 * Plain JavaScript run in its own process by scripts/build.cjs: esbuild runs plugins only in its
 * asynchronous API, and the build is synchronous.
 */
"use strict";
const { readFileSync, readdirSync } = require("node:fs");
const { isBuiltin } = require("node:module");
const { dirname, join, relative, sep } = require("node:path");

/** The modules the Function App is made of: every module in engine/hosts/functions (repository paths). */
function functionAppModules(root) {
  const dir = join("engine", "hosts", "functions");
  return readdirSync(join(root, dir)).filter((file) => file.endsWith(".ts")).sort().map((file) => join(dir, file).split(sep).join("/"));
}

/** Bundle name → its entry's source. */
function entries(root) {
  // The host used to load each of these (main was a glob of them); telemetry first, so its
  // instrumentation is in place before the clients load.
  const modules = functionAppModules(root).map((file) => `./${file.replace(/\.ts$/, "")}`)
    .sort((a, b) => Number(b.endsWith("/telemetry-start")) - Number(a.endsWith("/telemetry-start")));
  return {
    "function-app": { contents: modules.map((module) => `export * from ${JSON.stringify(module)};`).join("\n"), resolveDir: root },
    cli: { contents: 'export { main, runCli } from "./engine/hosts/cli/main";', resolveDir: root },
  };
}

/**
 * Packages a process loads only on a path it may never take, left out of the bundles: they load
 * from node_modules when first used, and a start does not read or compile them. ARM Automation
 * (runbook steps) and Key Vault (KEY_VAULT_URL) in both; in the command line also @azure/identity
 * (`npm start` signs in with static tokens and a connection string unless told otherwise; the
 * Function App signs in with its managed identity, so its bundle keeps it).
 */
const LOADED_ON_USE = ["@azure/arm-automation", "@azure/keyvault-secrets"];
const CLI_LOADED_ON_USE = ["@azure/identity"];

/**
 * Left to Node's `require` at run time: the Functions worker's own module; the OpenTelemetry stack
 * (it instruments modules as they are required, and loads only when App Insights is configured);
 * the development tools the local stack and the command line load when they run (Azurite, tsx…);
 * the packages loaded on use (above).
 */
function externals(root, bundleName) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const names = [
    "@azure/functions-core", "@azure/monitor-opentelemetry", "@azure/opentelemetry-*", "@opentelemetry/*", ...Object.keys(pkg.devDependencies ?? {}),
    ...LOADED_ON_USE, ...(bundleName === "cli" ? CLI_LOADED_ON_USE : []),
  ];
  return names.flatMap((name) => (name.includes("*") ? [name] : [name, `${name}/*`]));
}

function matcher(patterns) {
  const expressions = patterns.map((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*")}$`));
  return (path) => expressions.some((expression) => expression.test(path));
}

/** `__dirname` in our modules → the folder of the module's compiled twin, from the bundle's own folder. */
function twinDirname(root) {
  return {
    name: "twin-dirname",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, "utf8");
        if (!/\b__dirname\b/.test(source)) return undefined;
        // The bundles sit at the top of the build folder, where tsc mirrors the repository.
        const twin = relative(root, dirname(args.path)).split(sep).join("/");
        return { contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(twin)})`), loader: "ts" };
      });
    },
  };
}

/**
 * Packages resolved as Node's `require` resolves them (their CommonJS builds), not as esbuild
 * resolves an `import` (their ES module builds): the bundle holds the code the unbundled app ran,
 * and none of the ES-module-only `import.meta.url` a CommonJS bundle cannot give a value.
 */
function requireResolution(isExternal) {
  return {
    name: "require-resolution",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || isExternal(args.path)) return undefined;
        try {
          return { path: require.resolve(args.path, { paths: [args.resolveDir] }) };
        } catch {
          return undefined; // esbuild reports it
        }
      });
    },
  };
}

/** Writes <outDir>/function-app.js and <outDir>/cli.js (each with a source map and the bundled packages' licence notices). */
async function bundle(root, outDir) {
  const esbuild = require("esbuild");
  for (const [name, entry] of Object.entries(entries(root))) {
    const external = externals(root, name);
    await esbuild.build({
      stdin: { ...entry, loader: "ts", sourcefile: `${name}.ts` },
      outfile: join(outDir, `${name}.js`),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      // Smaller to read and compile at start. Names are not kept (esbuild's keepNames cost ~50 ms at
      // every start); the source map names them: node --enable-source-maps.
      minify: true,
      sourcemap: "linked",
      legalComments: "linked",
      external,
      plugins: [twinDirname(root), requireResolution(matcher(external))],
      logLevel: "error",
    });
  }
}

module.exports = { bundle, functionAppModules };

if (require.main === module) {
  const [root, outDir] = process.argv.slice(2);
  bundle(root, outDir).catch((error) => {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
