#!/usr/bin/env node
/**
 * Runs a GitHub Actions workflow's `run:` steps here, in the workflow's order, so a developer sees
 * locally what CI will say: `node scripts/run-workflow.cjs <workflow.yml> [--env NAME=VALUE]…
 * [--input NAME=VALUE]… [--list]`. Action steps (`uses:`) are GitHub's (checkout, setup-node) and
 * are skipped; so is a step with `if: github.event_name != 'local'` (the install the developer
 * already did). Any other `if:` or expression this runner cannot evaluate is refused, not guessed.
 * Stops at the first failing step with its exit code.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const { parse } = require("yaml");

const GITHUB_ONLY = "github.event_name != 'local'";

function parseArgs(argv) {
  const options = { file: undefined, env: {}, inputs: {}, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--list") options.list = true;
    else if (arg === "--env" || arg === "--input") {
      const [name, ...value] = String(argv[++i] ?? "").split("=");
      if (!name || value.length === 0) throw new Error(`${arg} needs NAME=VALUE`);
      (arg === "--env" ? options.env : options.inputs)[name] = value.join("=");
    } else if (!options.file) options.file = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!options.file) throw new Error("usage: run-workflow <workflow.yml> [--env NAME=VALUE]… [--input NAME=VALUE]… [--list]");
  return options;
}

/** `${{ inputs.name }}` from the given inputs or the workflow_call defaults; nothing else. */
function resolve(value, inputs) {
  return String(value).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expression) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input && inputs[input[1]] !== undefined) return String(inputs[input[1]]);
    throw new Error(`cannot evaluate ${whole} locally`);
  });
}

/** Every job's steps in file order, each with what running it locally means. */
function plan(workflow, options) {
  const defaults = Object.fromEntries(Object.entries(workflow.on?.workflow_call?.inputs ?? {}).map(([name, spec]) => [name, spec?.default]));
  const inputs = { ...defaults, ...options.inputs };
  const steps = [];
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    const jobEnv = {};
    for (const [name, value] of Object.entries(job.env ?? {})) jobEnv[name] = name in options.env ? options.env[name] : resolve(value, inputs);
    for (const [index, step] of (job.steps ?? []).entries()) {
      const name = step.name ?? step.uses ?? `step ${index + 1}`;
      if (step.uses) {
        steps.push({ job: jobId, name, skip: "a GitHub action" });
        continue;
      }
      if (step.if !== undefined && step.if !== GITHUB_ONLY) throw new Error(`${jobId} › ${name}: cannot evaluate if: ${step.if} locally`);
      if (step.if === GITHUB_ONLY) {
        steps.push({ job: jobId, name, skip: "runs on GitHub only" });
        continue;
      }
      const env = { ...jobEnv };
      for (const [key, value] of Object.entries(step.env ?? {})) env[key] = key in options.env ? options.env[key] : resolve(value, inputs);
      steps.push({ job: jobId, name, run: resolve(step.run, inputs), env });
    }
  }
  return steps;
}

function main(argv) {
  const options = parseArgs(argv);
  const steps = plan(parse(readFileSync(options.file, "utf8")), options);
  for (const step of steps) {
    if (options.list) {
      process.stdout.write(`${step.skip ? "skip" : "run "} ${step.job} › ${step.name}\n`);
      continue;
    }
    if (step.skip) {
      process.stdout.write(`-- ${step.name}: skipped (${step.skip})\n`);
      continue;
    }
    process.stdout.write(`== ${step.name}\n`);
    // As GitHub runs a `run:` step: bash, stop at the first failing command.
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], { stdio: "inherit", env: { ...process.env, ...step.env } });
    if (result.status !== 0) {
      process.stderr.write(`run-workflow: "${step.name}" failed (exit ${result.status ?? result.signal})\n`);
      return result.status || 1;
    }
  }
  return 0;
}

module.exports = { plan };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`run-workflow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
