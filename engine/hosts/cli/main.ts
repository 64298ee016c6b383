/**
 * `intents`: one CLI for engineers and CI. Each command is its own module in ./commands, loaded
 * only when called so `intents lint` does not pay for the server or the sandbox.
 */
export interface CommandModule {
  summary: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// Each a literal require, loaded when called: the build's bundler sees every command, and running
// one loads only its own modules.
const COMMANDS: Readonly<Record<string, () => CommandModule>> = {
  lint: () => require("./commands/lint"),
  plan: () => require("./commands/plan"),
  run: () => require("./commands/run"),
  test: () => require("./commands/test"),
  new: () => require("./commands/new"),
  serve: () => require("./commands/serve"),
  sandbox: () => require("./commands/sandbox"),
  permissions: () => require("./commands/permissions"),
  docs: () => require("./commands/docs"),
  subscriptions: () => require("./commands/subscriptions"),
  undo: () => require("./commands/undo"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  const lines = ["usage: intents <command> [options]", "", "commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${load().summary}`);
  lines.push("", "Run `intents <command> --help` for a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  const mod = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!() : undefined;
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
