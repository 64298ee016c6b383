/**
 * `intents`: one CLI for engineers and CI. Each command is its own module in ./commands, loaded
 * only when called so `intents lint` does not pay for the server or the sandbox.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface CommandModule {
  summary: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

const COMMANDS = ["lint", "plan", "run", "test", "new", "serve", "sandbox", "permissions", "docs", "subscriptions", "undo"] as const;

function usage(): string {
  const lines = ["usage: intents <command> [options]", "", "commands:"];
  for (const name of COMMANDS) {
    const mod = load(name);
    if (mod) lines.push(`  ${name.padEnd(12)} ${mod.summary}`);
  }
  lines.push("", "Run `intents <command> --help` for a command's options.");
  return lines.join("\n");
}

function load(name: string): CommandModule | undefined {
  const file = join(__dirname, "commands", `${name}.ts`);
  if (!existsSync(file) && !existsSync(file.replace(/\.ts$/, ".js"))) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./commands/${name}`) as CommandModule;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  const mod = (COMMANDS as readonly string[]).includes(name) ? load(name) : undefined;
  if (!mod) {
    process.stderr.write(`intents: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return mod.run(args);
}

/** Entry point used by bin/intents.cjs. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      // A CLI answers with a message, never a stack trace.
      process.stderr.write(`intents: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
