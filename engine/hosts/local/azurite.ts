/**
 * Azurite (Tables + Queues) inside this process, for `npm start` and the tests. Only azurite's deep
 * imports work (`require("azurite")` needs vscode), so this pins to azurite ~3.35's internal API.
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** The public, well-known Azurite development account key (not a secret). */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  host?: string;
  /** 0 (default) picks free ports. */
  tablePort?: number;
  queuePort?: number;
  /** Folder for persistent data; omitted = in memory. */
  location?: string;
}

export interface RunningAzurite {
  connectionString: string;
  tableUrl: string;
  queueUrl: string;
  close(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
  httpServer?: { address(): AddressInfo | string | null };
}

/* eslint-disable @typescript-eslint/no-require-imports */
function loadServers() {
  const TableServer = require("azurite/dist/src/table/TableServer").default;
  const TableConfiguration = require("azurite/dist/src/table/TableConfiguration").default;
  const QueueServer = require("azurite/dist/src/queue/QueueServer").default;
  const QueueConfiguration = require("azurite/dist/src/queue/QueueConfiguration").default;
  return { TableServer, TableConfiguration, QueueServer, QueueConfiguration };
}
/* eslint-enable @typescript-eslint/no-require-imports */

function portOf(server: AzuriteServer): number {
  const url = new URL(server.getHttpServerAddress());
  return Number(url.port);
}

export function storageConnectionString(tableUrl: string, queueUrl: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `TableEndpoint=${tableUrl};QueueEndpoint=${queueUrl};`;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? "127.0.0.1";
  const inMemory = options.location === undefined;
  const dir = options.location ?? "";
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const { TableServer, TableConfiguration, QueueServer, QueueConfiguration } = loadServers();
  const tableConfig = new TableConfiguration(host, options.tablePort ?? 0, 5, join(dir, "__azurite_db_table__.json"),
    false, false, undefined, undefined, false, true, "", "", "", undefined, false, inMemory);
  const queueConfig = new QueueConfiguration(host, options.queuePort ?? 0, 5, join(dir, "__azurite_db_queue__.json"),
    join(dir, "__azurite_db_queue_extent__.json"), [{ locationId: "Default", locationPath: join(dir, "__queuestorage__"), maxConcurrency: 1 }],
    false, undefined, false, undefined, false, true, "", "", "", undefined, false, inMemory);
  const table: AzuriteServer = new TableServer(tableConfig);
  const queue: AzuriteServer = new QueueServer(queueConfig);
  await table.start();
  await queue.start();
  const tableUrl = `http://${host}:${portOf(table)}/${DEV_ACCOUNT}`;
  const queueUrl = `http://${host}:${portOf(queue)}/${DEV_ACCOUNT}`;
  return {
    connectionString: storageConnectionString(tableUrl, queueUrl),
    tableUrl,
    queueUrl,
    async close() {
      await Promise.allSettled([table.close(), queue.close()]);
    },
  };
}
