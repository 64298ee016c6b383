/** `intents permissions`: the least-privilege set the intents need, and which intent needs what. */
import { parseArgs } from "node:util";
import { loadDocumentedIntents } from "../../../tooling/docs/catalog-source";
import { computePermissions } from "../../../tooling/permissions/permissions";
import { formatPermissionsText } from "../../../tooling/permissions/permissions-text";

export const summary = "Print the least-privilege Graph permissions and Entra/Exchange roles the intents need (--json for scripts).";

const USAGE = "usage: intents permissions [--json] [--dir <intents folder>]\n";

export async function run(args: string[]): Promise<number> {
  let values: { json?: boolean; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { json: { type: "boolean" }, dir: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    process.stderr.write(`intents permissions: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const set = computePermissions(loadDocumentedIntents(values.dir));
  process.stdout.write(values.json ? `${JSON.stringify(set, null, 2)}\n` : formatPermissionsText(set));
  return 0;
}
