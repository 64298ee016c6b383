import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export interface ChildApp {
  url: string;
  process: ChildProcess;
  kill(): Promise<void>;
}

/** Starts test/functions/support/child-server.ts and waits for the URL it prints. */
export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  const child = spawn(process.execPath, ["bin/run-ts.cjs", "test/functions/support/child-server.ts"], {
    env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    process: child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}
