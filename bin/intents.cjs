#!/usr/bin/env node
// The `intents` command: the compiled build in dist/ (its one-file bundle, dist/cli.js), or the TypeScript sources in a checkout
// where they changed since the last build (bin/compiled.cjs says which and why).
require("./compiled.cjs").loadModule("engine/hosts/cli/main", "cli.js").runCli(process.argv.slice(2));
