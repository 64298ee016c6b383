/** `intents subscriptions`: lists the Graph change-notification subscriptions the app holds (Azure Tables). */
import { parseArgs } from "node:util";
import { loadSettings } from "../../config";
import { SUBSCRIPTIONS_TABLE, TableSubscriptionStore } from "../../../inbound/notifications/subscriptions/table-store";
import type { SubscriptionRecord } from "../../../inbound/notifications/types";
import { openTable } from "../../../lifecycle/store/tables";

export const summary = "List the Graph change-notification subscriptions (resource, id, expiry, last lifecycle event)";

const HELP = `usage: intents subscriptions [--storage CONNECTION] [--json]

  --storage CONNECTION  storage connection string (default $AzureWebJobsStorage, else local Azurite
                        on its standard ports: UseDevelopmentStorage=true)
  --json                print the records as JSON

\`npm start\` prints the command with its Azurite connection string.`;

function remaining(expiresAt: string, now: number): string {
  const ms = Date.parse(expiresAt) - now;
  if (ms <= 0) return "expired";
  const hours = Math.floor(ms / 3_600_000);
  return `${Math.floor(hours / 24)}d ${hours % 24}h left`;
}

export function formatSubscriptions(records: SubscriptionRecord[], now: number): string {
  if (records.length === 0) return "No subscriptions. The timer creates them for intents that declare a trigger.";
  return records
    .map((r) => [
      `${r.resource}  ${r.changeTypes.join(",")}  ${r.subscriptionId}`,
      `  expires ${r.expiresAt} (${remaining(r.expiresAt, now)}), created ${r.createdAt}${r.renewedAt ? `, renewed ${r.renewedAt}` : ""}`,
      `  notifications to ${r.notificationUrl}${r.lastLifecycleEvent ? `; last lifecycle event ${r.lastLifecycleEvent} at ${r.lastLifecycleAt ?? "?"}` : ""}`,
    ].join("\n"))
    .join("\n");
}

export async function run(args: string[]): Promise<number> {
  let values: { storage?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { storage: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    process.stderr.write(`intents subscriptions: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const storage = loadSettings(values.storage ? { ...process.env, AzureWebJobsStorage: values.storage } : process.env).storage;
  const records = await new TableSubscriptionStore(await openTable(storage, SUBSCRIPTIONS_TABLE)).list();
  process.stdout.write(`${values.json ? JSON.stringify(records, null, 2) : formatSubscriptions(records, Date.now())}\n`);
  return 0;
}
