import type * as ArmAutomation from "@azure/arm-automation";
import type { AutomationModels } from "@azure/arm-automation";
import type { TokenCredential } from "@azure/identity";
import { IntentError } from "../../core/errors";
import type { EventSink } from "../../core/events";
import { armCredential } from "./credential";
import type { AutomationAccountSettings, AutomationCallOptions, AutomationClient, AutomationJob } from "./types";

/**
 * Job - Create of a name that exists: ARM may answer the existing job (200, which the SDK only
 * expects as 201) or a conflict. Either way the job of that name is the one to poll.
 */
const EXISTING_JOB_STATUSES = new Set([200, 409]);

export interface AutomationClientOptions {
  /** Overrides the credential derived from the settings (tests, other identities). */
  credential?: TokenCredential;
  /** Receives `arm.request` per call: operation, status or error code, duration (never a body or token). */
  events?: EventSink;
  /** Times `arm.request` events; default the wall clock. */
  now?: () => number;
}

/**
 * Azure Automation jobs through @azure/arm-automation. The SDK's own retry policies sleep on the
 * wall clock, so they are off: the step kind's poll loop is the backoff (on the injected clock).
 */
export function createAutomationClient(account: AutomationAccountSettings, options: AutomationClientOptions = {}): AutomationClient {
  const credential = options.credential ?? armCredential(account.accessToken);
  // countType1 only matters to the account statistics calls, which we never make.
  // The SDK (with ms-rest) is a quarter of a second to load: only a runbook step needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AutomationClient: ArmAutomationClient } = require("@azure/arm-automation") as typeof ArmAutomation;
  const sdk = new ArmAutomationClient(credential, account.subscriptionId, "status", {
    baseUri: account.baseUrl,
    noRetryPolicy: true,
  });
  const { resourceGroup, accountName } = account;
  const events: EventSink = options.events ?? (() => undefined);
  const call = <T>(what: string, send: () => Promise<T>): Promise<T> => reported(what, send, events, options.now ?? Date.now);

  async function getJob(jobName: string, callOptions: AutomationCallOptions = {}): Promise<AutomationJob> {
    const job = await call("get job", () => sdk.job.get(resourceGroup, accountName, jobName, sdkOptions(callOptions)));
    return toJob(jobName, job);
  }

  return {
    async startJob(jobName, runbook, parameters, callOptions = {}) {
      try {
        const job = await call("create job", () =>
          sdk.job.create(resourceGroup, accountName, jobName, { runbook: { name: runbook }, parameters }, sdkOptions(callOptions)),
        );
        return toJob(jobName, job);
      } catch (error) {
        const status = automationErrorStatus(error);
        if (status !== undefined && EXISTING_JOB_STATUSES.has(status)) {
          return getJob(jobName, callOptions);
        }
        throw error;
      }
    },
    getJob,
    async getJobOutput(jobName, callOptions = {}) {
      const output = await call("read job output", () => sdk.job.getOutput(resourceGroup, accountName, jobName, sdkOptions(callOptions)));
      return readText(output.readableStreamBody);
    },
  };
}

type SdkAbortSignal = AutomationModels.JobGetOptionalParams["abortSignal"];

/** The HTTP status ARM answered, for an AUTOMATION_ERROR this client threw. */
export function automationErrorStatus(error: unknown): number | undefined {
  return error instanceof IntentError && error.code === "AUTOMATION_ERROR" ? (error.details as { status?: number } | undefined)?.status : undefined;
}

function sdkOptions(options: AutomationCallOptions): { abortSignal?: SdkAbortSignal } {
  // The SDK's AbortSignalLike predates DOM typings of `this` in onabort; a Node AbortSignal works.
  return options.signal ? { abortSignal: options.signal as unknown as SdkAbortSignal } : {};
}

function toJob(jobName: string, job: { name?: string; status?: string; exception?: string; runbook?: { name?: string } }): AutomationJob {
  return {
    name: job.name ?? jobName,
    runbook: job.runbook?.name ?? "",
    status: job.status ?? "New",
    ...(job.exception ? { exception: job.exception } : {}),
  };
}

async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

interface SdkError {
  statusCode?: number;
  code?: string;
  message?: string;
  body?: { code?: string; message?: string; error?: { code?: string; message?: string } };
}

/** Turns the SDK's RestError into AUTOMATION_ERROR with ARM's code; never echoes a token. */
async function reported<T>(what: string, send: () => Promise<T>, events: EventSink, now: () => number): Promise<T> {
  const startedAt = now();
  try {
    const value = await send();
    events("arm.request", { operation: what, status: "ok", durationMs: now() - startedAt });
    return value;
  } catch (thrown) {
    const failure = toAutomationError(what, thrown);
    const status = (failure.details as { status?: number } | undefined)?.status;
    events("arm.request", { operation: what, ...(status === undefined ? {} : { status }), error: failure.code, durationMs: now() - startedAt });
    throw failure;
  }
}

function toAutomationError(what: string, thrown: unknown): IntentError {
  const error = (thrown ?? {}) as SdkError;
  const status = error.statusCode;
  const armCode = error.body?.error?.code ?? error.body?.code ?? error.code;
  const armMessage = error.body?.error?.message ?? error.body?.message ?? error.message ?? "no answer";
  const retryable = status === undefined || status === 429 || status >= 500;
  return new IntentError("AUTOMATION_ERROR", `Azure Automation could not ${what}: ${armMessage}`, {
    retryable,
    details: { ...(status === undefined ? {} : { status }), ...(armCode ? { code: armCode } : {}) },
    fix: status === 401 || status === 403
      ? "Give the Function App's managed identity the Automation Job Operator role on the Automation account."
      : undefined,
  });
}
