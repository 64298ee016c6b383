/**
 * Every setting the Function App reads, in one place. Plain settings come from the environment
 * (app settings; Key Vault references there arrive already resolved). Secrets not in the
 * environment are read from Key Vault (KEY_VAULT_URL), cached and refreshed after a while, so a
 * rotated secret is picked up without a restart.
 */
import { isCredentialSetting } from "../core/credentials";
import { exchangeRouteOf } from "../clients/exchange/settings";
import { IntentError } from "../core/errors";
import type { SecretSettingsReader } from "../runtime/types";
import { BODY_TIMEOUT_MS } from "../inbound/webhook/body";
import type { StorageSettings } from "../lifecycle/store/tables";
import { calendarFrom, type TenantCalendar } from "../language/time/calendar";
import { DEFAULT_GRAPH_CONCURRENCY } from "../clients/graph/client";
import { DEFAULT_SNAPSHOT_RETENTION_DAYS } from "../lifecycle/undo/types";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Ten minutes past a lease's end: longer than a continuation queued by a run that stopped (due a
 * lease after the stop) or a failed message's redelivery (host.json's visibility timeout) takes to come.
 */
export const DEFAULT_ABANDONED_GRACE_MS = 600_000;
/** How often a run may be taken over after the instance running it stopped, before it is ended instead. */
export const DEFAULT_ABANDONED_MAX_TAKEOVERS = 3;

/** Settings that are secrets: never logged, never echoed, read from Key Vault when not in the environment. */
export const PLATFORM_SECRET_SETTINGS = ["INTENT_SHARED_SECRET", "AZURE_CLIENT_SECRET", "GRAPH_ACCESS_TOKEN", "ARM_ACCESS_TOKEN", "EXCHANGE_ACCESS_TOKEN"] as const;
/** Reporting back: the PSA's API secret and the outbound webhook's signing key (README: Reporting back). */
export const REPORT_SECRET_SETTINGS = ["CONNECTWISE_PRIVATE_KEY", "AUTOTASK_SECRET", "HALOPSA_CLIENT_SECRET", "REPORT_WEBHOOK_SECRET"] as const;
/** Approvals: the key the approval links and forms are signed with (README: Approvals). */
export const APPROVAL_SECRET_SETTINGS = ["APPROVAL_SIGNING_KEY"] as const;
export const SECRET_SETTINGS = [...PLATFORM_SECRET_SETTINGS, ...REPORT_SECRET_SETTINGS, ...APPROVAL_SECRET_SETTINGS] as const;
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

export type { StorageSettings };

export const DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true";

export interface AppSettings {
  storage: StorageSettings;
  graphBaseUrl: string;
  notificationMailbox: string | undefined;
  notificationEmail: string | undefined;
  /** The deployment's requester policy file (POLICY_FILE); unset = policy.yaml beside intents/, if any. */
  policyFile: string | undefined;
  /** Object id of the group whose members may request destructive intents under the built-in rules. */
  authorisedRequestersGroup: string | undefined;
  runBudgetMs: number;
  continuationBudgetMs: number;
  bodyTimeoutMs: number;
  /** Graph requests in flight at once per process. */
  graphConcurrency: number;
  leaseMs: number;
  /** ABANDONED_RUN_GRACE_MS: how long past its lease's end a running run waits before the sweep takes it. */
  abandonedGraceMs: number;
  /** ABANDONED_RUN_MAX_TAKEOVERS: how often a run whose instance stopped under it is taken over and run again. */
  abandonedMaxTakeovers: number;
  maxDequeueCount: number;
  keyVaultUrl: string | undefined;
  /** How long a secret read from Key Vault is trusted before it is read again. */
  secretCacheMs: number;
  /** TENANT_TIME_ZONE and TENANT_DATE_ORDER: how dates are read and when scheduled runs start. */
  calendar: TenantCalendar;
  /** SCHEDULE_HORIZON_DAYS: how far ahead a run may be scheduled. */
  scheduleHorizonDays: number;
  /** How long a run's snapshot (what it changed, for its undo) is kept: SNAPSHOT_RETENTION_DAYS, default 90. */
  snapshotRetentionDays: number;
  /** Every plain setting, for the Graph token provider and `{{settings.NAME}}` in intents. */
  plain: Env;
}

/**
 * Plain settings as intents read them: EXCHANGE_MODE is always there, `api` or `runbook`, so an
 * Exchange intent can choose its route by it (a typo stops the host at start, not a run later).
 */
export function withExchangeMode(plain: Env): Env {
  return { ...plain, EXCHANGE_MODE: exchangeRouteOf(plain) };
}

function integer(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new IntentError("CONFIG_MISSING", `The setting ${name} must be a whole number, not "${value}".`, {
      fix: `Set ${name} to a whole number of milliseconds (or a count) in the app settings.`,
    });
  }
  return parsed;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Entra object id setting: a group's display name is not unique, so only its id names it. */
function objectId(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!OBJECT_ID.test(value)) {
    throw new IntentError("CONFIG_MISSING", `The setting ${name} must be a group's object id (a GUID), not "${value}".`, {
      fix: `Copy the group's Object ID from the Entra admin centre into ${name}.`,
    });
  }
  return value.toLowerCase();
}

const STORAGE_SECTION = "AzureWebJobsStorage__";

/** The `AzureWebJobsStorage__*` settings by key, read as a section the way the Functions host reads them. */
function storageSection(env: Env): Record<string, string> {
  const section: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(STORAGE_SECTION) && value?.trim()) section[name.slice(STORAGE_SECTION.length)] = value.trim();
  }
  return section;
}

function storageSettings(env: Env): StorageSettings {
  if (env.AzureWebJobsStorage?.trim()) return { kind: "connection-string", connectionString: env.AzureWebJobsStorage.trim() };
  const section = storageSection(env);
  const account = section.accountName;
  const tableServiceUri = section.tableServiceUri ?? (account ? `https://${account}.table.core.windows.net` : undefined);
  const queueServiceUri = section.queueServiceUri ?? (account ? `https://${account}.queue.core.windows.net` : undefined);
  if (!tableServiceUri && !queueServiceUri) return { kind: "connection-string", connectionString: DEVELOPMENT_STORAGE };
  if (!tableServiceUri || !queueServiceUri) {
    throw new IntentError("CONFIG_MISSING", "Identity-based storage needs both the table and the queue endpoint.", {
      fix: "Set AzureWebJobsStorage__accountName, or both AzureWebJobsStorage__tableServiceUri and AzureWebJobsStorage__queueServiceUri.",
    });
  }
  const credential = section.credential?.toLowerCase();
  if (credential !== undefined && credential !== "managedidentity") {
    throw new IntentError("CONFIG_MISSING", `AzureWebJobsStorage__credential must be "managedidentity", not "${section.credential}".`, {
      fix: "Set AzureWebJobsStorage__credential to managedidentity, or remove it to use the default Azure credential chain.",
    });
  }
  return { kind: "identity", tableServiceUri, queueServiceUri, credential, clientId: section.clientId };
}

export function loadSettings(env: Env = process.env): AppSettings {
  const plain: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_SETTINGS) delete plain[name];
  plain.EXCHANGE_MODE = exchangeRouteOf(env);
  return {
    storage: storageSettings(env),
    graphBaseUrl: env.GRAPH_BASE_URL ?? "https://graph.microsoft.com/v1.0",
    notificationMailbox: env.NOTIFICATION_MAILBOX || undefined,
    notificationEmail: env.NOTIFICATION_EMAIL || undefined,
    policyFile: env.POLICY_FILE?.trim() || undefined,
    authorisedRequestersGroup: objectId(env, "AUTHORISED_REQUESTERS_GROUP"),
    runBudgetMs: integer(env, "RUN_BUDGET_MS", 5_000),
    continuationBudgetMs: integer(env, "CONTINUATION_BUDGET_MS", 240_000),
    bodyTimeoutMs: integer(env, "BODY_TIMEOUT_MS", BODY_TIMEOUT_MS),
    graphConcurrency: Math.max(1, integer(env, "GRAPH_CONCURRENCY", DEFAULT_GRAPH_CONCURRENCY)),
    leaseMs: integer(env, "RUN_LEASE_MS", 60_000),
    abandonedGraceMs: integer(env, "ABANDONED_RUN_GRACE_MS", DEFAULT_ABANDONED_GRACE_MS),
    abandonedMaxTakeovers: integer(env, "ABANDONED_RUN_MAX_TAKEOVERS", DEFAULT_ABANDONED_MAX_TAKEOVERS),
    maxDequeueCount: integer(env, "MAX_DEQUEUE_COUNT", 5),
    keyVaultUrl: env.KEY_VAULT_URL || (env.KEY_VAULT_NAME ? `https://${env.KEY_VAULT_NAME}.vault.azure.net` : undefined),
    secretCacheMs: integer(env, "SECRET_CACHE_MS", 300_000),
    calendar: calendarFrom(env),
    scheduleHorizonDays: integer(env, "SCHEDULE_HORIZON_DAYS", 180),
    snapshotRetentionDays: integer(env, "SNAPSHOT_RETENTION_DAYS", DEFAULT_SNAPSHOT_RETENTION_DAYS),
    plain,
  };
}

/** Where secrets come from when the environment does not hold them. */
export interface SecretReader {
  read(name: string): Promise<string | undefined>;
}

/** Key Vault secret names allow letters, digits and dashes: INTENT_SHARED_SECRET → INTENT-SHARED-SECRET. */
export function keyVaultName(setting: string): string {
  return setting.replace(/_/g, "-");
}

export class SecretSettings {
  private readonly cache = new Map<string, { value: string | undefined; until: number }>();

  constructor(
    private readonly env: Env,
    private readonly vault: SecretReader | undefined,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** One of SECRET_SETTINGS, or a secret setting an intent declares (through intentSecretReader). */
  async get(name: string): Promise<string | undefined> {
    const fromEnv = this.env[name];
    if (fromEnv) return fromEnv;
    if (!this.vault) return undefined;
    const cached = this.cache.get(name);
    if (cached && cached.until > this.now()) return cached.value;
    let value: string | undefined;
    try {
      value = await this.vault.read(keyVaultName(name));
    } catch (cause) {
      throw new IntentError("CONFIG_MISSING", `The secret ${name} could not be read from Key Vault.`, {
        cause, retryable: true, fix: "Check KEY_VAULT_URL and that the app's identity may get secrets from the vault.",
      });
    }
    this.cache.set(name, { value, until: this.now() + this.cacheMs });
    return value;
  }

  async require(name: SecretSetting): Promise<string> {
    const value = await this.get(name);
    if (!value) {
      throw new IntentError("CONFIG_MISSING", `The secret setting ${name} is not set.`, {
        fix: `Set ${name} in the app settings or as ${keyVaultName(name)} in the Key Vault.`,
      });
    }
    return value;
  }

  /** Forgets cached secrets, e.g. after a 401 suggests a rotation. */
  refresh(): void {
    this.cache.clear();
  }

  /** The platform's secrets that are set, for the token provider's settings record (not the PSA's). */
  async all(): Promise<Record<string, string | undefined>> {
    const entries = await Promise.all(PLATFORM_SECRET_SETTINGS.map(async (name) => [name, await this.get(name)] as const));
    return Object.fromEntries(entries);
  }
}

/**
 * Where the deployment keeps the secret setting an intent declares as NAME: the app setting
 * `INTENT_SECRET_NAME`, or the Key Vault secret `INTENT-SECRET-NAME`. Intents' secrets have names
 * of their own, so no name an intent can write reaches a variable of the engine or of the platform
 * it runs on (Azure puts keys of its own into the environment, e.g. WEBSITE_AUTH_ENCRYPTION_KEY).
 */
export const INTENT_SECRET_PREFIX = "INTENT_SECRET_";

export function intentSecretSetting(name: string): string {
  return `${INTENT_SECRET_PREFIX}${name}`;
}

/**
 * The secret settings intents declare (`secrets:`), read like the engine's own (the environment
 * first, then Key Vault as NAME-WITH-DASHES, cached) but only under INTENT_SECRET_…. A credential
 * of the engine is refused by name as well, so the mistake is named rather than read as unset.
 */
export function intentSecretReader(secrets: SecretSettings): SecretSettingsReader {
  return {
    get(name) {
      if (isCredentialSetting(name)) {
        return Promise.reject(new IntentError("SPEC_SECRET_NOT_ALLOWED", `${name} is a credential of the engine: no template may read it.`));
      }
      return secrets.get(intentSecretSetting(name));
    },
    whereSet(name) {
      const setting = intentSecretSetting(name);
      return `${name} as the app setting ${setting} or the Key Vault secret ${keyVaultName(setting)}`;
    },
  };
}

/** Key Vault through @azure/keyvault-secrets and the app's identity; a missing secret reads as undefined. */
export async function keyVaultReader(vaultUrl: string): Promise<SecretReader> {
  const [{ SecretClient }, { DefaultAzureCredential }] = await Promise.all([import("@azure/keyvault-secrets"), import("@azure/identity")]);
  const client = new SecretClient(vaultUrl, new DefaultAzureCredential());
  return {
    async read(name) {
      try {
        return (await client.getSecret(name)).value;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
  };
}
