/**
 * Two engine processes on one storage account, each with its own clock set to the same instant:
 * both timers fire at the offboarding's time, and the run is handed off and executed once. Wake-up
 * messages delivered twice (a timer that died between queueing and removing its wake-up) are taken
 * by both processes at once, and the run's lease still lets only one of them run it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinKindSpecs } from "../../engine/kinds";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { writeSnapshot } from "../../engine/language/spec/snapshot-write";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { intentsFolder, SECRET, webhook } from "./support/stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";

interface Engine {
  url: string;
  /** Where its catalogue came from at start. */
  catalog: string;
  child: ChildProcess;
  send(cmd: "timer" | "drain" | "one", now: number): Promise<{ handled: number; events: string[] }>;
}

const START = Date.parse("2026-10-20T09:00:00Z");
const clock = createManualClock(START);
let azurite: RunningAzurite;
let sandbox: Sandbox;
const engines: Engine[] = [];

const SNAPSHOT_ENGINE = "two-instances-test";

/** The engine's first line, or why it will never come: a process that ends first fails the start at once, not at the hook's timeout. */
function firstLine(child: ChildProcess, lines: Interface): Promise<string> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null, signal: string | null) => reject(new Error(`the engine process ended (${signal ?? `exit code ${code}`}) before it listened; its stderr is above`));
    child.once("exit", exited);
    lines.once("line", (line: string) => {
      child.off("exit", exited);
      resolve(line);
    });
  });
}

async function startEngine(intentsDir: string, snapshot: string): Promise<Engine> {
  const child = spawn(process.execPath, ["bin/run-ts.cjs", "test/schedule/support/engine-child.ts"], {
    env: {
      ...process.env, STORAGE: azurite.connectionString, GRAPH_URL: sandbox.graphBaseUrl, ARM_URL: sandbox.armBaseUrl,
      EXCHANGE_URL: sandbox.exchangeBaseUrl, EXCHANGE_TENANT: sandbox.tenant.tenantId, INTENTS_DIR: intentsDir, START_MS: String(START),
      SNAPSHOT: snapshot, SNAPSHOT_ENGINE,
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const next = async () => JSON.parse(((await once(lines, "line")) as [string])[0]);
  const { url, catalog } = JSON.parse(await firstLine(child, lines)) as { url: string; catalog: string };
  let queue = Promise.resolve();
  return {
    url, catalog, child,
    send(cmd, now) {
      const answer = queue.then(async () => {
        const reply = next();
        child.stdin!.write(JSON.stringify({ cmd, now }) + "\n");
        return reply;
      });
      queue = answer.then(() => undefined, () => undefined);
      return answer;
    },
  };
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  const dir = intentsFolder();
  // The snapshot is made as the build makes it, which checks that the cases an intent names exist.
  cpSync(join(__dirname, "..", "..", "intents", "cases"), join(dir, "cases"), { recursive: true });
  // Compiled once here rather than from YAML in each process: two engines compiling at once on a
  // busy machine were what made this hook slow.
  const snapshot = join(mkdtempSync(join(tmpdir(), "two-instances-")), "catalog-snapshot.json");
  const written = writeSnapshot(snapshot, builtinKindSpecs(), dir, SNAPSHOT_ENGINE);
  if (!("snapshot" in written)) throw new Error(`the test's intents do not compile: ${JSON.stringify(written.diagnostics[0])}`);
  engines.push(...(await Promise.all([startEngine(dir, snapshot), startEngine(dir, snapshot)])));
  expect(engines.map((engine) => engine.catalog)).toEqual(["snapshot", "snapshot"]);
}, 60_000);

afterAll(async () => {
  for (const engine of engines) {
    const exited = once(engine.child, "exit");
    engine.child.kill("SIGKILL");
    await exited;
  }
  await sandbox?.close();
  await azurite?.close();
});

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/api/intent`, { method: "POST", headers: { "content-type": "application/json", "x-intent-secret": SECRET }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

const disables = (upn: string) => sandbox.requests().filter((r) => r.method === "PATCH" && decodeURIComponent(r.path).endsWith(`/users/${upn}`)).length;
const both = (cmd: "timer" | "drain" | "one", at: string) => Promise.all(engines.map((engine) => engine.send(cmd, Date.parse(at))));

describe("two engine processes", () => {
  it("both timers fire at the offboarding's time: it is handed off once and runs once", async () => {
    const answer = await post(engines[0]!.url, webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "adele.vance@contoso.com", "Last Day": "06/11/2026" }, 9101));
    expect(answer.body.status).toBe("scheduled");
    await both("timer", "2026-11-06T16:30:00Z");
    expect((await both("drain", "2026-11-06T16:30:00Z")).map((r) => r.handled)).toEqual([0, 0]);
    const timers = await both("timer", "2026-11-06T17:00:05Z");
    expect(timers.flatMap((t) => t.events).filter((e) => e === "schedule_due")).toHaveLength(1);
    const drained = await both("drain", "2026-11-06T17:00:05Z");
    expect(drained.reduce((n, d) => n + d.handled, 0)).toBe(1);
    expect(disables("adele.vance@contoso.com")).toBe(1);
    const record = (await (await fetch(`${engines[1]!.url}/api/runs/${answer.body.runId}`, { headers: { "x-intent-secret": SECRET } })).json()) as { status: string; attempts: number };
    expect(record).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a wake-up message delivered twice, taken by both processes at once, still runs the offboarding once", async () => {
    const answer = await post(engines[1]!.url, webhook("User Offboarding", { ...SIGN_OUT_ONLY, "User Email": "ben.walters@contoso.com", "Last Day": "13/11/2026" }, 9102));
    expect(answer.body.status).toBe("scheduled");
    await engines[0]!.send("timer", Date.parse("2026-11-13T17:00:01Z"));
    const queue = new QueueClient(azurite.connectionString, CONTINUATION_QUEUE);
    const [message] = (await queue.peekMessages({ numberOfMessages: 1 })).peekedMessageItems;
    expect(message).toBeDefined();
    await queue.sendMessage(message!.messageText);
    const taken = await both("one", "2026-11-13T17:00:02Z");
    expect(taken.map((d) => d.handled)).toEqual([1, 1]);
    // One process resumed and ran it; the other found it claimed (its message came back) or finished.
    expect(taken.map((d) => d.events.filter((e) => e === "resumed").length).sort()).toEqual([0, 1]);
    const returned = await both("drain", "2026-11-13T17:10:00Z");
    expect([...taken, ...returned].flatMap((d) => d.events)).toContain("continuation_skipped");
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
    expect(disables("ben.walters@contoso.com")).toBe(1);
    const record = (await (await fetch(`${engines[0]!.url}/api/runs/${answer.body.runId}`, { headers: { "x-intent-secret": SECRET } })).json()) as { status: string };
    expect(record.status).toBe("succeeded");
  });
});
