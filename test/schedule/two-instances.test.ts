/**
 * Two engine processes on one storage account, each with its own clock set to the same instant:
 * both timers fire at the offboarding's time, and the run is handed off and executed once. Wake-up
 * messages delivered twice (a timer that died between queueing and removing its wake-up) are taken
 * by both processes at once, and the run's lease still lets only one of them run it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface, type Interface } from "node:readline";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { intentsFolder, SECRET, webhook } from "./support/stack";
import { SIGN_OUT_ONLY } from "../support/offboarding";

interface Engine {
  url: string;
  child: ChildProcess;
  send(cmd: "timer" | "drain" | "one", now: number): Promise<{ handled: number; events: string[] }>;
}

const START = Date.parse("2026-10-20T09:00:00Z");
const clock = createManualClock(START);
let azurite: RunningAzurite;
let sandbox: Sandbox;
const engines: Engine[] = [];

async function startEngine(intentsDir: string): Promise<Engine> {
  const child = spawn(process.execPath, ["bin/run-ts.cjs", "test/schedule/support/engine-child.ts"], {
    env: { ...process.env, STORAGE: azurite.connectionString, GRAPH_URL: sandbox.graphBaseUrl, ARM_URL: sandbox.armBaseUrl, EXCHANGE_URL: sandbox.exchangeBaseUrl, EXCHANGE_TENANT: sandbox.tenant.tenantId, INTENTS_DIR: intentsDir, START_MS: String(START) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const next = async () => JSON.parse(((await once(lines, "line")) as [string])[0]);
  const { url } = (await next()) as { url: string };
  let queue = Promise.resolve();
  return {
    url, child,
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
  engines.push(...(await Promise.all([startEngine(dir), startEngine(dir)])));
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
