/** `automation:runbook`: an Azure Automation job under a deterministic name, polled to its JSON result line. */
import { automationErrorStatus, deterministicJobName, loadRunbookManifest, parseRunbookResult } from "../../clients/arm";
import type { AutomationClient, AutomationJob, RunbookResult } from "../../clients/arm";
import { lintRunbookStep } from "./runbook-lint";
import { IntentError } from "../../core/errors";
import type { Classification, KindAnswer, StepKind, StepKindSpec, StepRunContext } from "../../core/step-kind";

/** What the Automation kinds' factory receives: the client the composition root built. */
export interface AutomationKindDeps {
  automation: AutomationClient;
}

export interface RunbookStepInput {
  runbook: string;
  parameters?: Record<string, string | number | boolean>;
  /** Wait for the job's result (default); false = answer `changed` once the job exists. */
  wait?: boolean;
}

/** Saved between polls (and across a suspended run) so a resume polls the same job. */
export interface RunbookStepState {
  jobName: string;
  startedAt: number;
  polls: number;
  /** False while Job - Create has not answered yet (it failed transiently). */
  created: boolean;
}

/** What `outputs` and `outcomes` read as `response`. */
export interface RunbookResponse {
  jobName: string;
  jobStatus: string;
  status: RunbookResult["status"] | "started";
  reason: string;
  result?: RunbookResult;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
// Never slower than a 5 s poll loop: the first polls come sooner (a quick job is seen at once),
// then back off to 5 s, so a long job costs one ARM read per 5 s at most.
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 5_000;
const FAILED_JOB_STATES = new Set(["Failed", "Stopped", "Suspended"]);

export const automationRunbookSpec: StepKindSpec<RunbookStepInput> = {
  id: "automation:runbook",
  description: "Starts an Azure Automation runbook job (deterministic job name), waits for it and parses its JSON result line.",
  inputSchema: {
    type: "object",
    required: ["runbook"],
    additionalProperties: false,
    properties: {
      runbook: { type: "string", minLength: 1 },
      parameters: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
      wait: { type: "boolean" },
    },
  },
  isReadOnly: () => false,
  lint(step, report) {
    lintRunbookStep(step, report, loadRunbookManifest());
  },
  describe(input) {
    return { runbook: input.runbook, parameters: jobParameters(input), wait: input.wait !== false, jobName: "derived from run id and step id" };
  },
  /** No HTTP status: a job answers with its result line, which says changed, ok or failed. */
  classify(response): Classification {
    const answer = response as RunbookResponse;
    if (answer.status === "failed") {
      return { success: false, code: "RUNBOOK_FAILED", message: answer.reason, error: { code: "RUNBOOK_FAILED", message: `Runbook job ${answer.jobName} failed: ${answer.reason}` } };
    }
    return { success: true, message: answer.reason, outcome: answer.status === "ok" ? "ok" : "changed" };
  },
};

export function automationRunbook({ automation }: AutomationKindDeps): StepKind<RunbookStepInput> {
  return { ...automationRunbookSpec, run: (input, ctx) => runRunbookStep(automation, input, ctx) };
}

export function automationKinds(deps: AutomationKindDeps): StepKind[] {
  return [automationRunbook(deps)];
}

export const automationKindSpecs: readonly StepKindSpec[] = [automationRunbookSpec];

async function runRunbookStep(automation: AutomationClient, input: RunbookStepInput, ctx: StepRunContext): Promise<KindAnswer> {
  const { clock } = ctx;
  const previous = readState(ctx.state);
  const state: RunbookStepState = previous ?? { jobName: deterministicJobName(ctx.runId, ctx.stepId), startedAt: clock.now(), polls: 0, created: false };
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = { signal: ctx.signal };

  let job: AutomationJob;
  try {
    job = state.created ? await pollJob(automation, state.jobName, input, ctx) : await automation.startJob(state.jobName, input.runbook, jobParameters(input), call);
  } catch (error) {
    // A throttled or unreachable ARM is polled again like a running job, inside the same timeout.
    if (error instanceof IntentError && error.retryable) return pendingOrTimeout(state, timeoutMs, ctx, undefined);
    throw error;
  }
  if (!state.created) ctx.events("runbook.job.started", { runbook: input.runbook, jobName: job.name, stepId: ctx.stepId });
  const current: RunbookStepState = { ...state, created: true };

  if (input.wait === false) {
    return answer({ jobName: job.name, jobStatus: job.status, status: "started", reason: `Job ${job.name} of ${input.runbook} was started.` }, current);
  }
  if (job.status === "Completed") return completed(automation, job, input, current, ctx, timeoutMs);
  if (FAILED_JOB_STATES.has(job.status)) throw await failedJob(automation, job, input, ctx);
  return pendingOrTimeout(current, timeoutMs, ctx, job);
}

/** GET the job; a job that is not there (a create lost on the way) is created under the same name. */
async function pollJob(automation: AutomationClient, jobName: string, input: RunbookStepInput, ctx: StepRunContext): Promise<AutomationJob> {
  try {
    return await automation.getJob(jobName, { signal: ctx.signal });
  } catch (error) {
    if (automationErrorStatus(error) !== 404) throw error;
    return automation.startJob(jobName, input.runbook, jobParameters(input), { signal: ctx.signal });
  }
}

async function completed(
  automation: AutomationClient, job: AutomationJob, input: RunbookStepInput, state: RunbookStepState, ctx: StepRunContext, timeoutMs: number,
): Promise<KindAnswer> {
  let output: string;
  try {
    output = await automation.getJobOutput(job.name, { signal: ctx.signal });
  } catch (error) {
    // The job is done; its output is read again at the next poll, like a job still running.
    if (error instanceof IntentError && error.retryable) return pendingOrTimeout(state, timeoutMs, ctx, job);
    throw error;
  }
  const result = parseRunbookResult(output);
  if (!result) {
    throw new IntentError("RUNBOOK_FAILED", `Runbook ${input.runbook} completed without writing its JSON result line.`, {
      details: { jobName: job.name, jobStatus: job.status },
      fix: "Check the runbook in runbooks/: it must end by writing one {\"status\":…} line.",
    });
  }
  if (result.status === "failed") throw runbookFailed(input.runbook, job, result.reason);
  return answer({ jobName: job.name, jobStatus: job.status, status: result.status, reason: result.reason, result }, state);
}

/** The runbook's own reason when it wrote one before failing, else Automation's exception text. */
async function failedJob(automation: AutomationClient, job: AutomationJob, input: RunbookStepInput, ctx: StepRunContext): Promise<IntentError> {
  let reason: string | undefined;
  try {
    reason = parseRunbookResult(await automation.getJobOutput(job.name, { signal: ctx.signal }))?.reason;
  } catch {
    // The output is a nicety here; the job's own status already decides the step.
  }
  return runbookFailed(input.runbook, job, reason || job.exception || `The runbook job ended ${job.status}.`);
}

function runbookFailed(runbook: string, job: AutomationJob, reason: string): IntentError {
  return new IntentError("RUNBOOK_FAILED", `Runbook ${runbook} failed: ${reason}`, {
    details: { jobName: job.name, jobStatus: job.status, reason },
    fix: "Check the reason; if Exchange refused the call, the Automation account's managed identity needs Exchange.ManageAsApp and the Exchange Administrator role.",
  });
}

function pendingOrTimeout(state: RunbookStepState, timeoutMs: number, ctx: StepRunContext, job: AutomationJob | undefined): KindAnswer {
  const elapsed = ctx.clock.now() - state.startedAt;
  if (elapsed >= timeoutMs) {
    // The job is left running: the same run id and step id name the same job, so a resume attaches to it.
    throw new IntentError("RUNBOOK_TIMEOUT", `The runbook job ${state.jobName} did not finish within ${Math.round(timeoutMs / 1000)} s.`, {
      retryable: true,
      details: { jobName: state.jobName, ...(job ? { jobStatus: job.status } : {}) },
      fix: "The job keeps running in Azure Automation; resuming the run polls the same job.",
    });
  }
  const backoff = Math.min(FIRST_POLL_MS * 2 ** state.polls, MAX_POLL_MS);
  const next: RunbookStepState = { ...state, polls: state.polls + 1 };
  return {
    response: { jobName: state.jobName, jobStatus: job?.status ?? "Unknown", status: "started", reason: "The runbook job is still running." },
    attempts: next.polls,
    pending: { resumeAfterMs: Math.max(1, Math.min(backoff, timeoutMs - elapsed)), state: next },
  };
}

function answer(response: RunbookResponse, state: RunbookStepState): KindAnswer {
  return { response, attempts: state.polls + 1 };
}

/** Automation passes every job parameter as a string. */
function jobParameters(input: RunbookStepInput): Record<string, string> {
  return Object.fromEntries(Object.entries(input.parameters ?? {}).map(([name, value]) => [name, String(value)]));
}

function readState(state: unknown): RunbookStepState | undefined {
  const candidate = state as Partial<RunbookStepState> | undefined;
  if (!candidate || typeof candidate.jobName !== "string" || typeof candidate.startedAt !== "number") return undefined;
  return { jobName: candidate.jobName, startedAt: candidate.startedAt, polls: candidate.polls ?? 0, created: candidate.created ?? true };
}
