/** Load + compile time of an intents folder, measured in fresh child processes (cold and warm). */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { summarise, type Summary } from "./stats";

const run = promisify(execFile);
const ROOT = join(__dirname, "..");

export interface LoadFigure {
  intents: number;
  /** Requiring the engine's modules (TypeScript transpiled by tsx on the way, from its cache when warm). */
  importMs: number;
  /** The first loadCatalog in the process: parse, schema-validate, analyse, compile every template. */
  coldMs: number;
  /** Later loadCatalog calls in the same process. */
  warm: Summary;
  /** The compiled build: whether the catalogue came from the build's snapshot or the YAML. */
  source?: string;
}

/**
 * Runs `processes` children one after another and keeps the median child by cold time. `compiled`:
 * the child loads dist/ (what `npm start`, the CLI and Azure run), not the sources through tsx.
 */
export async function measureLoad(dir: string, processes: number, warmRepeats: number, build: "sources" | "compiled" = "sources"): Promise<LoadFigure> {
  const figures: LoadFigure[] = [];
  const child = build === "compiled" ? [join(ROOT, "bench", "load-child.cjs")] : [join(ROOT, "bin", "run-ts.cjs"), join(ROOT, "bench", "load-child.ts")];
  for (let i = 0; i < processes; i++) {
    const { stdout } = await run(process.execPath, [...child, dir, String(warmRepeats)], {
      cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 20,
    });
    const line = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { intents: number; importMs: number; coldMs: number; warmMs: number[]; source?: string };
    figures.push({ intents: line.intents, importMs: line.importMs, coldMs: line.coldMs, warm: summarise(line.warmMs), ...(line.source ? { source: line.source } : {}) });
  }
  figures.sort((a, b) => a.coldMs - b.coldMs);
  return figures[Math.floor(figures.length / 2)]!;
}
