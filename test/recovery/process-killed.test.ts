/**
 * 1 (crash). An instance running New User Creation is killed (SIGKILL) after Graph created the user
 * and while the password mail is on its way. A redelivery, once the dead instance's lease has
 * lapsed, takes the run over: the lookups, the sealed password and the created user come from the
 * checkpoints (no second POST /users, no new password), the mail goes out with the password the
 * user actually has, and the licence and groups follow.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSandbox, type IssuedCredential, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { HELPDESK, RECOVERY_SECRET, startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";

let azurite: RunningAzurite;
let sandbox: Sandbox;
let child: ChildProcess | undefined;
let stack: RecoveryStack | undefined;
const credentials: IssuedCredential[] = [];

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ onCredential: (issued) => credentials.push(issued) });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await stack?.close();
  await sandbox?.close();
  await azurite?.close();
});

async function startChild(): Promise<{ url: string; process: ChildProcess }> {
  const started = spawn(process.execPath, ["bin/run-ts.cjs", "test/recovery/support/engine-child.ts"], {
    env: { ...process.env, STORAGE: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, ARM_BASE_URL: sandbox.armBaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(createInterface({ input: started.stdout! }), "line")) as [string];
  return { url: (JSON.parse(line) as { url: string }).url, process: started };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it("a run killed mid-delivery is finished by a redelivery from its checkpoints, with the password the user has", async () => {
  const fields = { "Display Name": "Mia Kowalski", Email: "mia.kowalski@contoso.com", "First Name": "Mia", "Last Name": "Kowalski", "License SKU": "SPB", "Group Memberships": "Marketing, IT Department" };
  const body = webhookFor("New User Creation", fields, 94_001);
  const held = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", method: "POST", path: "/v1.0/users/*/sendMail", latencyMs: 15_000, times: 1 }),
  });
  const rule = (await held.json()) as { id: string };
  const app = await startChild();
  child = app.process;
  void fetch(`${app.url}/api/intent`, { method: "POST", headers: { "content-type": "application/json", "x-intent-secret": RECOVERY_SECRET }, body: JSON.stringify(body) }).catch(() => undefined);
  // The user exists, and the password mail is held up on its way to Graph: now the instance dies.
  await until(async () => {
    const rules = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as { value: Array<{ id: string; applied: number }> };
    return rules.value.find((r) => r.id === rule.id)?.applied === 1;
  }, "the password mail to be on its way");
  const password = credentials.find((c) => c.userPrincipalName === "mia.kowalski@contoso.com")?.value;
  expect(password).toBeDefined();
  child.kill("SIGKILL");
  await once(child, "exit");

  // A redelivery after the dead instance's lease (60 s) has lapsed takes the run over.
  stack = await startRecoveryStack({ storage: azurite.connectionString, sandbox, clock: createManualClock(Date.now() + 61_000) });
  const answer = await stack.post(body);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(answer.body.steps.filter((s: { resumed?: boolean }) => s.resumed).map((s: { id: string }) => s.id)).toEqual(["lookup", "groupLookup", "password", "create"]);
  expect(sandbox.tenant.users.filter((u) => u.userPrincipalName === "mia.kowalski@contoso.com")).toHaveLength(1);
  expect(sandbox.requests().filter((r) => r.method === "POST" && r.path === "/v1.0/users")).toHaveLength(1);
  expect(credentials.filter((c) => c.kind === "password")).toHaveLength(1);
  const mails = sandbox.tenant.sentMail.filter((m) => JSON.stringify(m.message.toRecipients).includes(HELPDESK));
  expect(mails.some((m) => m.message.body?.content.includes(password!))).toBe(true);
  const mia = sandbox.tenant.users.find((u) => u.userPrincipalName === "mia.kowalski@contoso.com")!;
  expect(mia.assignedLicenses).toHaveLength(1);
  expect(sandbox.tenant.groups.filter((g) => g.members.includes(mia.id)).map((g) => g.displayName).sort()).toEqual(["IT Department", "Marketing"]);
  const record = await stack.getRun(answer.body.runId);
  expect(JSON.stringify(record.body)).not.toContain(password);
}, 30_000);
