/** Opening Azure Tables and Queues from one connection setting, creating what is missing once. */
import { TableClient } from "@azure/data-tables";
import { QueueClient } from "@azure/storage-queue";
import { IntentError } from "../errors";

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
    fix: "Check that the storage account (AzureWebJobsStorage) is reachable and the app may write to it.",
  });
}

function isLocalHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(connectionString);
}

export async function openTable(connectionString: string, name: string): Promise<TableClient> {
  const client = TableClient.fromConnectionString(connectionString, name, {
    allowInsecureConnection: isLocalHttp(connectionString),
  });
  try {
    await client.createTable(); // an existing table is not an error (the SDK swallows its 409)
  } catch (error) {
    throw storeError(`create table ${name}`, error);
  }
  return client;
}

export async function openQueue(connectionString: string, name: string): Promise<QueueClient> {
  const client = new QueueClient(connectionString, name);
  try {
    await client.createIfNotExists();
  } catch (error) {
    throw storeError(`create queue ${name}`, error);
  }
  return client;
}
