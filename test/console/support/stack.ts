/** `npm start`'s stack for console tests, and what a test needs of it: a signed-in console session, webhooks, the sandbox. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startDevStack, type DevStack } from "../../../engine/hosts/local/dev-stack";

export interface ConsoleSession {
  cookie: string;
  token: string;
}

export interface ConsoleStack {
  stack: DevStack;
  url: string;
  /** A console session as the local operator, or acting as an address (an approver's). */
  signIn(actingAs?: string): Promise<ConsoleSession>;
  call(path: string, init?: { method?: string; session?: ConsoleSession; headers?: Record<string, string>; body?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  webhook(intent: string, fields: Record<string, unknown>, ticketId: number, contact?: { name: string; email: string }): Promise<{ status: number; body: any }>;
  /** Adds a group to the sandbox tenant (a technician fixing what a run lacked). */
  addGroup(displayName: string): Promise<void>;
  /** Runs queued continuations until the run has left `running`. */
  settle(runId: string, session: ConsoleSession): Promise<any>;
  close(): Promise<void>;
}

const FIXTURE = join(__dirname, "..", "..", "..", "sandbox", "fixtures", "demo-tenant.json");

export async function startConsoleStack(env: Record<string, string> = {}): Promise<ConsoleStack> {
  const stack = await startDevStack({ env, port: 0, azuriteLocation: null });
  const url = stack.url;
  const sandboxUrl = stack.describe.find((line) => line.startsWith("sandbox tenant"))?.match(/control (http:\/\/[^/]+)/)?.[1];
  const call: ConsoleStack["call"] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.session) headers.cookie = init.session.cookie;
    if (init.session && init.method === "POST") headers["x-console-token"] = init.session.token;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url + path, { method: init.method ?? "GET", headers, redirect: "manual", ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML or empty
    }
    return { status: response.status, body, headers: response.headers };
  };
  return {
    stack, url, call,
    async signIn(actingAs) {
      const link = await fetch(stack.consoleSignInLink(actingAs), { redirect: "manual" });
      const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const page = await (await fetch(`${url}/api/console`, { headers: { cookie } })).text();
      const token = /name="console-token" content="([^"]+)"/.exec(page)?.[1] ?? "";
      return { cookie, token };
    },
    async webhook(intent, fields, ticketId, contact = { name: "Megan Bowen", email: "megan.bowen@contoso.com" }) {
      const response = await fetch(`${url}/api/intent`, {
        method: "POST", headers: { "x-intent-secret": stack.sharedSecret, "content-type": "application/json" },
        body: JSON.stringify({ intent_name: intent, intent_fields: fields, meta_data: { ticket_id: ticketId, contact_name: contact.name, contact_email: contact.email, company_name: "Contoso" } }),
      });
      return { status: response.status, body: await response.json() };
    },
    async addGroup(displayName) {
      const tenant = JSON.parse(readFileSync(FIXTURE, "utf8")) as { groups: Array<Record<string, unknown>> };
      tenant.groups.push({
        id: "9d3c4f1e-7a55-4b1c-9a3e-000000000042", displayName, description: "Created to fix a failed run", groupTypes: [],
        mailEnabled: false, securityEnabled: true, mailNickname: displayName.replace(/\W/g, "").toLowerCase(), members: [], owners: [],
      });
      const response = await fetch(`${sandboxUrl}/_sandbox/state`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(tenant) });
      if (response.status !== 204) throw new Error(`the sandbox refused the tenant: ${response.status} ${await response.text()}`);
    },
    async settle(runId, session) {
      for (let round = 0; round < 100; round++) {
        await stack.drainContinuations();
        const run = await call(`/api/runs/${runId}`, { session });
        if (run.body.status !== "running") return run.body;
        // The stack's own poller took the message first: wait for it to finish the run.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`run ${runId} is still running`);
    },
    close: () => stack.close(),
  };
}
