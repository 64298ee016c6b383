#!/usr/bin/env node
/**
 * Part of `npm run build`: a V8 code cache for the command line's bundle (dist/cli.js.code-cache,
 * loaded by bin/load-bundle.cjs), made by the start it speeds up. A child process loads the bundle,
 * runs `intents serve` (sandbox tenant, PSA simulators, Azurite in memory, as `npm start` does
 * with no settings), sends it one webhook, and then saves what V8 compiled on the way: the module
 * evaluation, the host's composition and a run through the pipeline, which a fresh process would
 * otherwise parse and compile again before its first answer.
 *
 * Best effort: a cache that cannot be made leaves none, and the bundle loads without it.
 *
 * Plain JavaScript run in its own process by scripts/build.cjs.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const { readFileSync, rmSync, writeFileSync, renameSync } = require("node:fs");
const { join } = require("node:path");
const { codeCachePaths, compileBundle, runBundle, sourceDigest } = require("../bin/load-bundle.cjs");

const TRAINING_SECRET = "code-cache-training";
/** The webhook the training start answers: the demo tenant's own user signing themself out (policy allows it at once). */
const TRAINING_WEBHOOK = {
  intent_name: "Revoke Sessions",
  intent_fields: { "User Email": "adele.vance@contoso.com" },
  meta_data: { ticket_id: 1, contact_name: "Adele Vance", contact_email: "adele.vance@contoso.com", company_name: "Contoso" },
};
const TRAINING_TIMEOUT_MS = 120_000;

/** Runs the training in a child process for <outDir>/cli.js: whether a cache was made, and a line saying so. */
function writeCodeCache(root, outDir) {
  const bundle = join(outDir, "cli.js");
  const paths = codeCachePaths(bundle);
  rmSync(paths.data, { force: true });
  rmSync(paths.key, { force: true });
  try {
    // No setting of the environment it is built in: the start `npm start` makes with none. The
    // checkout's packages serve a build made elsewhere (the simulators' and Azurite's are devDependencies).
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_OPTIONS: "", NODE_PATH: join(root, "node_modules"), INTENT_SHARED_SECRET: TRAINING_SECRET };
    const line = execFileSync(process.execPath, [__filename, bundle], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: TRAINING_TIMEOUT_MS }).trim();
    return { made: true, line };
  } catch (error) {
    rmSync(paths.data, { force: true });
    rmSync(paths.key, { force: true });
    const detail = String(error.stderr || error.message || error).trim().split("\n").slice(-3).join(" ");
    return { made: false, line: `code cache: not made (${detail}); dist/cli.js loads without one` };
  }
}

/** In the child: serve, answer one webhook, save the code cache, stop. */
async function train(bundle) {
  const source = readFileSync(bundle, "utf8");
  const script = compileBundle(bundle, source);
  const cli = runBundle(bundle, script);
  let url = "";
  let listening;
  const heard = new Promise((resolve) => (listening = resolve));
  // The server's banner and log lines: only its address is of use here.
  process.stdout.write = (chunk) => {
    const found = /Function App listening: (\S+)\/api\/intent/.exec(String(chunk));
    if (found) {
      url = found[1];
      listening();
    }
    return true;
  };
  const served = cli.main(["serve", "--port", "0", "--in-memory"]);
  await Promise.race([heard, served.then((code) => { throw new Error(`intents serve ended with ${code} before it listened`); })]);
  const answer = await fetch(`${url}/api/intent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-intent-secret": TRAINING_SECRET },
    body: JSON.stringify(TRAINING_WEBHOOK),
  });
  await answer.arrayBuffer();
  if (answer.status !== 200) throw new Error(`the training webhook answered ${answer.status}`);
  const data = script.createCachedData();
  const paths = codeCachePaths(bundle);
  writeFileSync(`${paths.data}.tmp`, data);
  renameSync(`${paths.data}.tmp`, paths.data);
  writeFileSync(paths.key, JSON.stringify({ source: sourceDigest(source), node: process.version }, null, 2) + "\n");
  process.kill(process.pid, "SIGINT"); // serve stops as at Ctrl-C
  await served;
  return `code cache: ${Math.round(data.length / 1024)} kB for dist/cli.js (Node ${process.version})`;
}

module.exports = { writeCodeCache, TRAINING_WEBHOOK };

if (require.main === module) {
  const write = process.stdout.write.bind(process.stdout);
  train(process.argv[2]).then(
    (line) => {
      write(`${line}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
