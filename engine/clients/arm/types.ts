/**
 * The contract between the `automation:runbook` step kind and Azure Automation. The step kind
 * chooses job names and polls; the client owns transport, tokens and ARM's error shapes.
 */

/** Azure Automation's job states (Job.properties.status). */
export type AutomationJobStatus =
  | "New" | "Activating" | "Running" | "Completed" | "Failed" | "Stopped" | "Blocked"
  | "Suspended" | "Disconnected" | "Suspending" | "Stopping" | "Resuming" | "Removing";

export interface AutomationJob {
  /** The job name the caller chose (deterministic per run and step). */
  name: string;
  runbook: string;
  status: AutomationJobStatus | string;
  /** Automation's own failure text for Failed / Suspended jobs. */
  exception?: string;
}

export interface AutomationCallOptions {
  signal?: AbortSignal;
}

export interface AutomationClient {
  /**
   * Creates the job `jobName` running `runbook`, or answers the existing job of that name: a
   * retry or redelivery never starts a second one.
   */
  startJob(jobName: string, runbook: string, parameters: Record<string, string>, options?: AutomationCallOptions): Promise<AutomationJob>;
  getJob(jobName: string, options?: AutomationCallOptions): Promise<AutomationJob>;
  /** The job's output stream as text (one record per line). */
  getJobOutput(jobName: string, options?: AutomationCallOptions): Promise<string>;
}

/** Where the Automation account lives; read from the app settings at the composition root. */
export interface AutomationAccountSettings {
  subscriptionId: string;
  resourceGroup: string;
  accountName: string;
  /** ARM endpoint, https://management.azure.com unless ARM_BASE_URL says otherwise (the sandbox). */
  baseUrl: string;
  /** A static bearer token (the sandbox); absent in Azure, where the managed identity is used. */
  accessToken?: string;
}
