#!/usr/bin/env node
// Runs a TypeScript entry point through tsx's CommonJS loader, so the CLI, `npm start` and
// benchmarks work straight after `npm ci` with no build step.
require("tsx/cjs");
const path = require("node:path");
const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: run-ts <file.ts> [args…]\n");
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
