/**
 * Run in a fresh process by load-time.ts, so no module or template cache from the parent flatters
 * the figures. Prints one JSON line: import time, the first (cold) loadCatalog, then warm loads.
 * Usage: run-ts bench/load-child.ts <intents dir> <warm repeats>
 */
const importStarted = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { builtinKindSpecs, loadCatalog } = require("../engine/index") as typeof import("../engine/index");
const importMs = performance.now() - importStarted;

const [dir = "", repeats = "10"] = process.argv.slice(2);
const coldStarted = performance.now();
const intents = loadCatalog(builtinKindSpecs(), dir).intents.length;
const coldMs = performance.now() - coldStarted;
const warmMs: number[] = [];
for (let i = 0; i < Number(repeats); i++) {
  const started = performance.now();
  loadCatalog(builtinKindSpecs(), dir);
  warmMs.push(performance.now() - started);
}
process.stdout.write(JSON.stringify({ intents, importMs, coldMs, warmMs }) + "\n");
