/**
 * bench/load-child.ts for the compiled build: the catalogue as a starting Function App loads it
 * from dist/ in a fresh process (the build's snapshot while it matches the intents, else the YAML).
 * Usage: node bench/load-child.cjs <intents dir> <warm repeats>
 */
"use strict";
const importStarted = performance.now();
const { builtinKindSpecs } = require("../dist/engine/kinds/index.js");
const { loadStartupCatalog } = require("../dist/engine/language/spec/startup.js");
const importMs = performance.now() - importStarted;

async function main() {
  const [dir = "", repeats = "10"] = process.argv.slice(2);
  let source = "unknown";
  const events = (event, fields) => {
    if (event === "catalog_loaded") source = fields.source;
  };
  const coldStarted = performance.now();
  const intents = (await loadStartupCatalog(builtinKindSpecs(), { dir, events })).intents.length;
  const coldMs = performance.now() - coldStarted;
  const warmMs = [];
  for (let i = 0; i < Number(repeats); i++) {
    const started = performance.now();
    await loadStartupCatalog(builtinKindSpecs(), { dir });
    warmMs.push(performance.now() - started);
  }
  process.stdout.write(JSON.stringify({ intents, importMs, coldMs, warmMs, source }) + "\n");
}

main();
