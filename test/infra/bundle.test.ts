/**
 * The Function App the host loads is one bundled file (package.json's main, dist/function-app.js).
 * Loaded as the Functions worker loads an app (the worker answers `require("@azure/functions-core")`
 * itself), it must register exactly the functions its modules register, with the same triggers, and
 * start without loading modules from node_modules one by one.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { functionAppEntries } from "./settings-scan";

const ROOT = join(__dirname, "..", "..");

interface Registered {
  name: string;
  bindings: Array<{ type: string; direction: string; route?: string; queueName?: string; schedule?: string; methods?: string[] }>;
}

/** What loading `modules` in a fresh Node process registers with a stand-in for the worker's core API. */
function registrations(modules: string[]): { functions: Registered[]; packagesLoaded: string[] } {
  const probe = `
    const Module = require("node:module");
    const functions = [];
    const core = {
      setProgrammingModel() {},
      registerHook() { return { dispose() {} }; },
      log() {},
      registerFunction(metadata) {
        const bindings = Object.values(metadata.bindings).map(({ type, direction, route, queueName, schedule, methods }) => ({ type, direction, route, queueName, schedule, methods }));
        functions.push({ name: metadata.name, bindings: JSON.parse(JSON.stringify(bindings)) });
        return { dispose() {} };
      },
    };
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === "@azure/functions-core" ? core : load.call(this, request, ...rest); };
    for (const module of ${JSON.stringify(modules)}) require(module);
    const packagesLoaded = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]/.test(path));
    process.stdout.write(JSON.stringify({ functions: functions.sort((a, b) => a.name.localeCompare(b.name)), packagesLoaded }));
  `;
  const env = { ...process.env, NODE_OPTIONS: "", APPLICATIONINSIGHTS_CONNECTION_STRING: "" };
  return JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8", env })) as { functions: Registered[]; packagesLoaded: string[] };
}

beforeAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compiledIsCurrent } = require(join(ROOT, "bin", "compiled.cjs")) as { compiledIsCurrent(): boolean };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!compiledIsCurrent()) (require(join(ROOT, "scripts", "build.cjs")) as { build(): number }).build();
}, 300_000);

describe("the bundled Function App", () => {
  it("is package.json's main", () => {
    expect((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { main: string }).main).toBe("dist/function-app.js");
  });

  it("registers the functions its modules register, with the same triggers, and loads no package from node_modules", () => {
    const compiledModules = functionAppEntries().map((file) => `./dist/${file.replace(/\.ts$/, ".js")}`);
    const unbundled = registrations(compiledModules);
    const bundled = registrations(["./dist/function-app.js"]);
    expect(unbundled.functions.map((f) => f.name)).toEqual(expect.arrayContaining(["intent", "continueRun", "renewSubscriptions", "startScheduledRuns", "deliverReport"]));
    expect(bundled.functions).toEqual(unbundled.functions);
    expect(new Set(bundled.functions.flatMap((f) => f.bindings.map((b) => b.type)))).toEqual(new Set(["httpTrigger", "http", "queueTrigger", "timerTrigger"]));
    // The unbundled modules load the Azure SDKs from node_modules; the bundle holds what it needs,
    // but for the Ajv runtime helpers the build's precompiled validators (dist/precompiled-validators) require.
    expect(unbundled.packagesLoaded.length).toBeGreaterThan(100);
    expect(bundled.packagesLoaded.filter((path) => !/[\\/]node_modules[\\/]ajv[\\/]dist[\\/]runtime[\\/]/.test(path))).toEqual([]);
  }, 120_000);
});
