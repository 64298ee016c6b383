/** Opening Azure Tables and Queues from the storage settings, creating what is missing once. */
import { TableClient, TableServiceClient } from "@azure/data-tables";
import type * as AzureIdentity from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import { IntentError } from "../../core/errors";

/**
 * Where Tables and Queues live (the Functions host's own storage). In Azure the app has no key:
 * the identity-based section `AzureWebJobsStorage__accountName` (+ `__credential`, `__clientId`,
 * `__tableServiceUri`, `__queueServiceUri`) names the account and its token comes from the managed
 * identity. A connection string (`AzureWebJobsStorage`) serves Azurite and local development.
 */
export type StorageSettings =
  | { kind: "connection-string"; connectionString: string }
  | {
      kind: "identity";
      tableServiceUri: string;
      queueServiceUri: string;
      /** "managedidentity" → ManagedIdentityCredential; unset → DefaultAzureCredential. */
      credential: "managedidentity" | undefined;
      /** Client id of a user-assigned identity; unset → the system-assigned one. */
      clientId: string | undefined;
    };

export interface StorageStatusError {
  statusCode?: number;
}

/** The SDK reports 409/412/404 as RestError with statusCode; `code` is unreliable (undefined on 409). */
export function storageStatus(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? (error as StorageStatusError).statusCode : undefined;
}

export function storeError(action: string, cause: unknown): IntentError {
  return new IntentError("STORE_ERROR", `The run store failed to ${action}.`, {
    cause,
    retryable: true,
    fix: "Check that the storage account (AzureWebJobsStorage, or AzureWebJobsStorage__accountName with the app's identity holding Storage Table and Queue Data Contributor) is reachable and the app may write to it.",
  });
}

function isLocalHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(connectionString);
}

/** The token the app's identity gets for storage; never a key (shared-key access is off in Azure). */
export function storageCredential(storage: Extract<StorageSettings, { kind: "identity" }>): TokenCredential {
  if (storage.credential === "managedidentity") {
    return storage.clientId ? new (identity().ManagedIdentityCredential)({ clientId: storage.clientId }) : new (identity().ManagedIdentityCredential)();
  }
  return new (identity().DefaultAzureCredential)(storage.clientId ? { managedIdentityClientId: storage.clientId } : {});
}

/** @azure/identity only for identity-based storage: a connection string (Azurite) never needs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const identity = (): typeof AzureIdentity => require("@azure/identity") as typeof AzureIdentity;

export function tableClient(storage: StorageSettings, name: string): TableClient {
  if (storage.kind === "identity") return new TableClient(storage.tableServiceUri, name, storageCredential(storage));
  return TableClient.fromConnectionString(storage.connectionString, name, { allowInsecureConnection: isLocalHttp(storage.connectionString) });
}

export function queueClient(storage: StorageSettings, name: string): QueueClient {
  if (storage.kind === "identity") return new QueueClient(`${storage.queueServiceUri.replace(/\/+$/, "")}/${name}`, storageCredential(storage));
  return new QueueClient(storage.connectionString, name);
}

export async function openTable(storage: StorageSettings, name: string): Promise<TableClient> {
  const client = tableClient(storage, name);
  // An existing table is not an error to createTable (the SDK swallows its 409).
  await made(storage, "tables", name, () => client.createTable(), `create table ${name}`);
  return client;
}

export async function openQueue(storage: StorageSettings, name: string): Promise<QueueClient> {
  const client = queueClient(storage, name);
  await made(storage, "queues", name, () => client.createIfNotExists(), `create queue ${name}`);
  return client;
}

/** Creates the table or queue unless the account's listing has it. */
async function made(storage: StorageSettings, kind: keyof Existing, name: string, create: () => Promise<unknown>, action: string): Promise<void> {
  const found = (await existing(storage))[kind];
  if (found.has(name)) return;
  try {
    await create();
  } catch (error) {
    throw storeError(action, error);
  }
  found.add(name);
}

interface Existing {
  tables: Set<string>;
  queues: Set<string>;
}

const listed = new Map<string, Promise<Existing>>();

/**
 * The tables and queues the account already has, listed once per process and account (two
 * requests) instead of a create per table and queue at every start (fifteen, in two rounds).
 * A listing that fails (a role without list rights, storage down) lists nothing: each open then
 * creates, as before, and reports its own failure.
 */
function existing(storage: StorageSettings): Promise<Existing> {
  const key = storage.kind === "identity" ? `${storage.tableServiceUri} ${storage.queueServiceUri}` : storage.connectionString;
  let found = listed.get(key);
  if (!found) {
    found = listAll(storage).catch(() => {
      listed.delete(key);
      return { tables: new Set<string>(), queues: new Set<string>() };
    });
    listed.set(key, found);
  }
  return found;
}

async function listAll(storage: StorageSettings): Promise<Existing> {
  const tables = new Set<string>();
  const queues = new Set<string>();
  const tableService = storage.kind === "identity"
    ? new TableServiceClient(storage.tableServiceUri, storageCredential(storage))
    : TableServiceClient.fromConnectionString(storage.connectionString, { allowInsecureConnection: isLocalHttp(storage.connectionString) });
  const queueService = storage.kind === "identity"
    ? new QueueServiceClient(storage.queueServiceUri, storageCredential(storage))
    : QueueServiceClient.fromConnectionString(storage.connectionString);
  await Promise.all([
    (async () => {
      for await (const table of tableService.listTables()) if (table.name) tables.add(table.name);
    })(),
    (async () => {
      for await (const queue of queueService.listQueues()) queues.add(queue.name);
    })(),
  ]);
  return { tables, queues };
}
