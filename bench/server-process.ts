/** Starts bench/server-child.ts, reads its URLs, and reports its peak RSS before stopping it. */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { withTimeout } from "./stats";

const ROOT = join(__dirname, "..");

export interface ServerProcess {
  url: string;
  sandboxUrl: string;
  child: ChildProcess;
  /** Watches queued by duplicate deliveries so far (the child's `watch_queued` events). */
  watchesQueued(): number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

export async function startServerProcess(store: "memory" | "azurite", intentsDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "run-ts.cjs"), join(ROOT, "bench", "server-child.ts"), store, intentsDir], {
    cwd: ROOT, stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await withTimeout(`the ${store} server to start`, 60_000, once(lines, "line"))) as [string];
  const { url, sandboxUrl } = JSON.parse(line) as { url: string; sandboxUrl: string };
  let watches = 0;
  lines.on("line", (next) => {
    if (next.includes('"watchQueued"')) watches++;
  });
  return {
    url,
    sandboxUrl,
    child,
    watchesQueued: () => watches,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}
