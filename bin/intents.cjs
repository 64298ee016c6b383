#!/usr/bin/env node
// The `intents` command: TypeScript sources run through tsx, so no build step is needed after install.
require("tsx/cjs");
require("../engine/hosts/cli/main.ts").runCli(process.argv.slice(2));
