/**
 * bench/load-child.ts for the compiled build: the same figures from dist/ in a fresh process.
 * Usage: node bench/load-child.cjs <intents dir> <warm repeats>
 */
"use strict";
const importStarted = performance.now();
const { builtinKindSpecs, loadCatalog } = require("../dist/engine/index.js");
const importMs = performance.now() - importStarted;

const [dir = "", repeats = "10"] = process.argv.slice(2);
const coldStarted = performance.now();
const intents = loadCatalog(builtinKindSpecs(), dir).intents.length;
const coldMs = performance.now() - coldStarted;
const warmMs = [];
for (let i = 0; i < Number(repeats); i++) {
  const started = performance.now();
  loadCatalog(builtinKindSpecs(), dir);
  warmMs.push(performance.now() - started);
}
process.stdout.write(JSON.stringify({ intents, importMs, coldMs, warmMs }) + "\n");
