/**
 * Opening tables and queues: an account that has them is listed (two requests), not sent a create
 * per table and queue at every start; what is missing is created; a listing refused falls back to
 * creating each. Over HTTP against Azurite, through a proxy that counts (and can refuse) requests.
 */
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storageConnectionString } from "../../engine/hosts/local/azurite";
import { openQueue, openTable } from "../../engine/lifecycle/store/tables";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";

interface CountingProxy {
  url: string;
  seen: string[];
  refuseListing: boolean;
  close(): Promise<void>;
}

/** Forwards to `target`, noting "METHOD path" of each request; answers 403 to a listing when told to. */
async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const proxy: CountingProxy = { url: "", seen: [], refuseListing: false, close: async () => undefined };
  const server: Server = createServer((incoming, answer) => {
    const path = (incoming.url ?? "").split("?")[0] ?? "";
    const query = (incoming.url ?? "").split("?")[1] ?? "";
    const listing = incoming.method === "GET" && (path.endsWith("/Tables") || /(^|&)comp=list/.test(query));
    proxy.seen.push(`${incoming.method} ${path}${listing ? " (list)" : ""}`);
    if (listing && proxy.refuseListing) {
      answer.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ odata: { error: { code: "AuthorizationPermissionMismatch" } } }));
      return;
    }
    const outgoing = forward({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
      answer.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(answer);
    });
    incoming.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  proxy.url = `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, "")}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

let azurite: RunningAzurite;
let tables: CountingProxy;
let queues: CountingProxy;

beforeAll(async () => {
  azurite = await startTestAzurite();
  tables = await countingProxy(azurite.tableUrl);
  queues = await countingProxy(azurite.queueUrl);
});

afterAll(async () => {
  await tables?.close();
  await queues?.close();
  await azurite?.close();
});

/** A connection string to the same account that the process has not listed yet (as a new process). */
let processes = 0;
function newProcess(): { kind: "connection-string"; connectionString: string } {
  processes++;
  return { kind: "connection-string", connectionString: `${storageConnectionString(tables.url, queues.url)}${";".repeat(processes)}` };
}

function forget(): void {
  tables.seen.length = 0;
  queues.seen.length = 0;
}

describe("opening tables and queues", () => {
  it("creates what a new account is missing, after one listing of each service", async () => {
    forget();
    const storage = newProcess();
    await Promise.all([openTable(storage, "openruns"), openTable(storage, "opensteps"), openQueue(storage, "open-queue")]);
    expect(tables.seen.filter((seen) => seen.endsWith("(list)"))).toHaveLength(1);
    expect(queues.seen.filter((seen) => seen.endsWith("(list)"))).toHaveLength(1);
    expect(tables.seen.filter((seen) => seen.startsWith("POST"))).toHaveLength(2);
    expect(queues.seen.filter((seen) => seen.startsWith("PUT"))).toHaveLength(1);
    // They exist: a row goes in.
    const runs = await openTable(storage, "openruns");
    await runs.createEntity({ partitionKey: "p", rowKey: "r" });
    expect((await runs.getEntity("p", "r")).rowKey).toBe("r");
  });

  it("sends no create at a later start: the listing finds everything", async () => {
    forget();
    const storage = newProcess();
    await Promise.all([openTable(storage, "openruns"), openTable(storage, "opensteps"), openQueue(storage, "open-queue")]);
    // A later open in the same process asks nothing at all.
    await openTable(storage, "openruns");
    expect([...tables.seen, ...queues.seen].sort()).toEqual(["GET /devstoreaccount1/ (list)", "GET /devstoreaccount1/Tables (list)"].sort());
  });

  it("creates each one when the listing is refused, as a role without list rights would be", async () => {
    forget();
    tables.refuseListing = true;
    queues.refuseListing = true;
    try {
      const storage = newProcess();
      const [made] = await Promise.all([openTable(storage, "openrefused"), openQueue(storage, "open-refused")]);
      expect(tables.seen.filter((seen) => seen.startsWith("POST"))).toHaveLength(1);
      expect(queues.seen.filter((seen) => seen.startsWith("PUT"))).toHaveLength(1);
      await made.createEntity({ partitionKey: "p", rowKey: "r" });
    } finally {
      tables.refuseListing = false;
      queues.refuseListing = false;
    }
  });
});
