/**
 * `npm start` as a user runs it: the `intents serve` process comes up, every curl example in the
 * README's "Running locally" answers what the README says, and Ctrl-C (SIGINT) stops it all.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const run = promisify(execFile);

function readmeCurls(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Running locally"), readme.indexOf("## HTTP contract"));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split(/\n\s*\n/).map((command) => command.trim()).filter((command) => command.startsWith("curl"));
}

/** A fresh shell's environment: nothing that would point `npm start` away from its defaults. */
const OVERRIDES = /^(INTENT_SHARED_SECRET|GRAPH_BASE_URL|GRAPH_ACCESS_TOKEN|AZURE_CLIENT_ID|PORT|AzureWebJobsStorage.*)$/;
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OVERRIDES.test(name)));
let server: ChildProcess | undefined;

/** Starts `intents serve` (what `npm start` runs) and resolves with its URL once it is ready. */
function startServe(output: string[]): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ["bin/intents.cjs", "serve", "--port", "0", "--in-memory"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  server = child;
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output.push(line);
      const url = /^Function App listening: (http:\/\/[^/]+)\/api\/intent/.exec(line)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.once("exit", (code) => reject(new Error(`intents serve exited with ${code}`)));
  });
}

afterAll(() => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
});

describe("README: Running locally", () => {
  it("every curl example answers what the README says, and Ctrl-C stops everything", async () => {
    const output: string[] = [];
    const { url, process: serve } = await startServe(output);
    const curls = readmeCurls();
    expect(curls).toHaveLength(3);
    const curl = async (command: string) => JSON.parse((await run("sh", ["-c", command.replaceAll("http://127.0.0.1:7071", url)])).stdout);

    const added = await curl(curls[0] as string);
    expect(added).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(added.duplicate).toBeUndefined();
    expect(await curl(curls[1] as string)).toMatchObject({ status: "succeeded" });
    const record = await curl((curls[2] as string).replace("<runId>", added.runId));
    expect(record).toMatchObject({ runId: added.runId, status: "succeeded", attempts: 1, steps: added.steps });
    // "Send the same webhook twice: the second answer is the first run's result with duplicate: true."
    expect(await curl(curls[0] as string)).toMatchObject({ runId: added.runId, status: "succeeded", duplicate: true });

    // "Ask for Adele from ben.walters@contoso.com, a colleague, and the answer is 202 awaiting_approval, naming who must approve
    // (her manager and the demo's Service Desk group), and nothing is written; each approver's mail with its link is in the
    // sandbox tenant's sent mail. From grace.taylor@contoso.com, her manager, it runs."
    const askedBy = (requester: string, ticket: number) =>
      (curls[0] as string).replace('"contact_email": "adele.vance@contoso.com"', `"contact_email": "${requester}"`).replace('"ticket_id": 5678', `"ticket_id": ${ticket}`);
    const waiting = await curl(askedBy("ben.walters@contoso.com", 5690));
    expect(waiting).toMatchObject({ status: "awaiting_approval", steps: [], approval: { state: "pending" } });
    expect(waiting.message).toMatch(/waiting for adele\.vance@contoso\.com's manager, .+ or a member of Service Desk/);
    const control = output.map((line) => /\(control (http:\S+)\/_sandbox\/requests\)/.exec(line)?.[1]).find(Boolean);
    const state = (await (await fetch(`${control}/_sandbox/state`)).json()) as { sentMail: Array<{ message: { subject?: string; body?: { content?: string } } }> };
    const asked = state.sentMail.filter((mail) => mail.message.subject === "Approval needed: Add User to Group for adele.vance@contoso.com (ticket #5690)");
    expect(asked.length).toBe(waiting.approval.approvers.length);
    expect(String(asked[0]?.message.body?.content)).toContain(`${url}/api/approvals/${waiting.approval.id}?t=`);
    const byManager = await curl(askedBy("grace.taylor@contoso.com", 5691));
    expect(byManager, JSON.stringify(byManager)).toMatchObject({ status: "succeeded" });

    // The printed sandbox request log shows what was sent.
    const log = output.map((line) => /\(control (http:\S+\/_sandbox\/requests)\)/.exec(line)?.[1]).find(Boolean);
    const sent = (await (await fetch(log as string)).json()) as { value: Array<{ method: string; path: string; status: number }> };
    // Added once; the manager's later request found her a member already (Graph's 400, an `ok` step).
    expect(sent.value.filter((r) => r.method === "POST" && r.path.includes("/members/$ref")).map((r) => r.status)).toEqual([204, 400]);

    const ports = output.flatMap((line) => [...line.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]));
    expect(new Set(ports).size).toBeGreaterThanOrEqual(4); // app, sandbox, Azurite tables, Azurite queues
    const exited = once(serve, "exit");
    serve.kill("SIGINT");
    expect(await exited).toEqual([0, null]);
    expect(output.at(-1)).toBe("stopped");
    for (const port of new Set(ports)) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }, 60_000);
});
