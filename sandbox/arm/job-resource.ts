import type { SandboxJob } from "./jobs";

/** Where one job lives in ARM, rebuilt from the request's own path segments. */
export interface JobScope {
  subscription: string;
  resourceGroup: string;
  account: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** A job as ARM's Job - Get answers it (the SDK flattens `properties`). */
export function jobResource(scope: JobScope, job: SandboxJob): Record<string, unknown> {
  const started = job.status === "New" ? undefined : job.createdAt;
  return {
    id: `/subscriptions/${scope.subscription}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${scope.account}/jobs/${job.name}`,
    name: job.name,
    type: "Microsoft.Automation/AutomationAccounts/Jobs",
    properties: {
      runbook: { name: job.runbook },
      startedBy: "sandbox",
      runOn: "",
      jobId: job.jobId,
      creationTime: iso(job.createdAt),
      status: job.status,
      statusDetails: "None",
      startTime: iso(started),
      endTime: iso(job.endedAt),
      exception: job.exception,
      lastModifiedTime: iso(job.endedAt ?? job.createdAt),
      lastStatusModifiedTime: iso(job.endedAt ?? job.createdAt),
      parameters: job.parameters,
      provisioningState: job.endedAt === undefined ? "Processing" : "Succeeded",
    },
  };
}

/** ARM's error body. */
export function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
