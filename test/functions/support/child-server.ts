/**
 * A Function App in its own process, for tests of several instances on one storage account and of
 * a process killed mid-run. Env: STORAGE, GRAPH_URL, HANG=1 (stall after the first write),
 * CLOCK_OFFSET_MS (this instance's clock runs ahead, so earlier leases read as expired).
 */
import { fakeEngine } from "./fake-engine";
import { createManualClock } from "../../support/manual-clock";
import { startApp } from "./harness";
import { ADD_TO_GROUP, THREE_WRITES } from "./intents";
import { fetchGraphClient } from "./loopback-graph";

async function main(): Promise<void> {
  const engine = fakeEngine([ADD_TO_GROUP, THREE_WRITES]);
  if (process.env.HANG === "1") engine.hangAfterFirstStep = new Promise<never>(() => undefined);
  const app = await startApp({
    connectionString: process.env.STORAGE ?? "",
    engine,
    graph: fetchGraphClient(process.env.GRAPH_URL ?? ""),
    clock: createManualClock(Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0)),
  });
  process.stdout.write(JSON.stringify({ url: app.url }) + "\n");
}

void main();
