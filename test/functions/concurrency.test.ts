/** Exactly-once under concurrent duplicates, across instances, and after a crash mid-run. */
import { odata, TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STEPS_TABLE } from "../../engine/hosts/compose/pipeline";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { startChildApp, type ChildApp } from "./support/child-process";
import { fakeEngine } from "./support/fake-engine";
import { SECRET, startApp, webhook, type App } from "./support/harness";
import { ADD_TO_GROUP, THREE_WRITES } from "./support/intents";
import { acceptingAll, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";

let azurite: RunningAzurite;
let graph: LoopbackGraph;
/** Path fragments Graph refuses, with the status it answers. */
const refusals = new Map<string, number>();
const children: ChildApp[] = [];
let app: App;

beforeAll(async () => {
  azurite = await startTestAzurite();
  graph = await startLoopbackGraph({ otherwise: acceptingAll(refusals) });
  app = await startApp({ connectionString: azurite.connectionString, engine: fakeEngine([ADD_TO_GROUP, THREE_WRITES]), graph: graph.client() });
});

afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  await app?.close();
  await graph?.close();
  await azurite?.close();
});

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url + "/api/intent", {
    method: "POST", headers: { "content-type": "application/json", "x-intent-secret": SECRET }, body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function checkpointed(stepId: string): Promise<boolean> {
  const steps = TableClient.fromConnectionString(azurite.connectionString, STEPS_TABLE, { allowInsecureConnection: true });
  for await (const _row of steps.listEntities({ queryOptions: { filter: odata`stepId eq ${stepId}` } })) return true;
  return false;
}

const writesTo = (fragment: string) => graph.received.filter((r) => r.path.includes(fragment)).length;

describe("exactly once", () => {
  it("100 concurrent deliveries of one webhook execute once and all answer the same run", async () => {
    const body = webhook("Add User to Group", { "User Email": "eve@contoso.com", "Group Name": "Concurrency" }, 2001);
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(app.url, body)));
    expect(writesTo("/groups/Concurrency/")).toBe(1);
    expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);
    expect(answers.filter((a) => a.body.duplicate !== true)).toHaveLength(1);
    for (const answer of answers) expect([200, 202]).toContain(answer.status);
  });

  it("20 concurrent redeliveries of a failed webhook re-execute it once; the others answer as duplicates", async () => {
    refusals.set("/groups/Refusing/", 400); // the first run and its retry both fail
    const body = webhook("Add User to Group", { "User Email": "hal@contoso.com", "Group Name": "Refusing" }, 2004);
    const first = await post(app.url, body);
    expect(first.body).toMatchObject({ status: "failed", attempts: 1 });
    expect(writesTo("/groups/Refusing/")).toBe(1);

    app.clock.advance(1); // the redeliveries arrive after the failure (the app's clock is manual)
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(app.url, body)));
    expect(writesTo("/groups/Refusing/")).toBe(2);
    const retried = answers.filter((a) => a.body.duplicate !== true);
    expect(retried).toHaveLength(1);
    expect(retried[0]?.body).toMatchObject({ runId: first.body.runId, status: "failed", attempts: 2 });
    for (const answer of answers) expect(answer.body.runId).toBe(first.body.runId);
    expect((await app.getRun(first.body.runId)).body).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("two server processes sharing one Azurite execute a webhook once", async () => {
    const env = { STORAGE: azurite.connectionString, GRAPH_URL: graph.url };
    const [a, b] = await Promise.all([startChildApp(env), startChildApp(env)]);
    children.push(a, b);
    const body = webhook("Add User to Group", { "User Email": "fay@contoso.com", "Group Name": "TwoInstances" }, 2002);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i % 2 === 0 ? a.url : b.url, body)));
    expect(writesTo("/groups/TwoInstances/")).toBe(1);
    expect(new Set(answers.map((x) => x.body.runId)).size).toBe(1);
    expect(answers.filter((x) => x.body.duplicate !== true)).toHaveLength(1);
  });

  it("a run killed mid-way is taken over by a redelivery and resumes without repeating writes", async () => {
    const env = { STORAGE: azurite.connectionString, GRAPH_URL: graph.url };
    const doomed = await startChildApp({ ...env, HANG: "1" });
    children.push(doomed);
    const body = webhook("Three Writes", { "User Email": "gus@contoso.com" }, 2003);
    const lost = post(doomed.url, body).catch((error: unknown) => error);
    // Kill once the first write is sent and checkpointed (between the two is the at-least-once window).
    while (!(await checkpointed("first"))) await new Promise((resolve) => setTimeout(resolve, 10));
    await doomed.kill();
    expect(await lost).toBeInstanceOf(Error);

    // A redelivery while the dead claim's lease still holds is answered as in progress, not run.
    const early = await post(app.url, body);
    expect(early.status).toBe(202);
    expect(early.body).toMatchObject({ status: "running", duplicate: true });

    // An instance whose clock is past the lease takes the run over.
    const later = await startChildApp({ ...env, CLOCK_OFFSET_MS: String(10 * 60_000) });
    children.push(later);
    const resumed = await post(later.url, body);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe("succeeded");
    expect(resumed.body.attempts).toBe(2);
    expect(resumed.body.steps.map((s: { id: string; resumed?: boolean }) => [s.id, s.resumed ?? false]))
      .toEqual([["first", true], ["second", false], ["third", false]]);
    expect(["first", "second", "third"].map((step) => writesTo(`/users/gus%40contoso.com/${step}`))).toEqual([1, 1, 1]);
  });
});
