import { randomUUID } from "node:crypto";
import type { RunbookResult } from "../../engine/contracts/runbook-result";
import type { TenantState } from "../tenant/types";
import { RUNBOOK_EFFECTS } from "./runbook-effects";

/** A fault applied to the next jobs of a runbook (or of every runbook). */
export interface ArmJobRule {
  /** Runbook name, ignoring case; absent = every runbook. */
  runbook?: string;
  /** Failed / Suspended / Stopped end the job that way without its effect; slow delays completion. */
  outcome: "Failed" | "Suspended" | "Stopped" | "slow";
  /** Failed: the exception text and the reason of the failed result line. */
  reason?: string;
  /** slow: polls before the job completes (default: never). */
  pollsToComplete?: number;
  /** How many jobs the rule applies to; absent = every matching job. */
  times?: number;
}

export interface ArmJobOptions {
  /** GETs of a job before it completes: 1 = the first poll sees Completed. Default 2. */
  pollsToComplete: number;
  /** Also complete once this long has passed since creation (sandbox clock), if set. */
  completeAfterMs?: number;
}

export interface SandboxJob {
  name: string;
  jobId: string;
  runbook: string;
  parameters: Record<string, string>;
  status: "New" | "Running" | "Completed" | "Failed" | "Suspended" | "Stopped";
  createdAt: number;
  endedAt?: number;
  polls: number;
  exception: string | null;
  /** The output stream, one record per line. */
  output: string[];
  /** The rule that decided this job's fate at creation, if any. */
  fault?: Omit<ArmJobRule, "times">;
}

/** The Automation account of one sandbox tenant: its jobs, fault rules and lifecycle settings. */
export class ArmJobStore {
  private readonly jobs = new Map<string, SandboxJob>();
  private rules: ArmJobRule[] = [];
  options: ArmJobOptions = { pollsToComplete: 2 };

  constructor(private readonly tenant: TenantState) {}

  list(): SandboxJob[] {
    return [...this.jobs.values()];
  }

  get(name: string): SandboxJob | undefined {
    return this.jobs.get(name.toLowerCase());
  }

  addRule(rule: ArmJobRule): void {
    this.rules.push({ ...rule });
  }

  clearRules(): void {
    this.rules = [];
  }

  /** Job - Create. An existing name answers the existing job: no second job, no second effect. */
  create(name: string, runbook: string, parameters: Record<string, string>, now: number): { job: SandboxJob; created: boolean } {
    const existing = this.get(name);
    if (existing) return { job: existing, created: false };
    const job: SandboxJob = { name, jobId: randomUUID(), runbook, parameters, status: "New", createdAt: now, polls: 0, exception: null, output: [] };
    const fault = this.takeRule(runbook);
    if (fault) job.fault = fault;
    this.jobs.set(name.toLowerCase(), job);
    return { job, created: true };
  }

  /** Job - Get: each poll moves the lifecycle on (New → Running → an end state). */
  poll(job: SandboxJob, now: number): SandboxJob {
    if (job.endedAt !== undefined) return job;
    job.polls += 1;
    const { fault } = job;
    if (fault && fault.outcome !== "slow") {
      this.end(job, now, fault.outcome, fault.reason ?? `The job was ${fault.outcome.toLowerCase()} by a sandbox fault rule.`);
      if (fault.outcome === "Failed") job.output.push(JSON.stringify({ status: "failed", reason: job.exception }));
      return job;
    }
    const pollsNeeded = fault?.outcome === "slow" ? fault.pollsToComplete ?? Infinity : this.options.pollsToComplete;
    const timeUp = fault?.outcome !== "slow" && this.options.completeAfterMs !== undefined && now - job.createdAt >= this.options.completeAfterMs;
    if (job.polls < pollsNeeded && !timeUp) {
      job.status = "Running";
      return job;
    }
    this.runEffect(job, now);
    return job;
  }

  private runEffect(job: SandboxJob, now: number): void {
    const effect = RUNBOOK_EFFECTS[job.runbook];
    const result: RunbookResult = effect
      ? effect(this.tenant, job.parameters, now)
      : { status: "failed", reason: `The sandbox has no effect for runbook ${job.runbook}.` };
    job.output.push(JSON.stringify(result));
    // Like the PowerShell: a failed result line is followed by a throw, which fails the job.
    if (result.status === "failed") this.end(job, now, "Failed", result.reason);
    else this.end(job, now, "Completed", null);
  }

  private end(job: SandboxJob, now: number, status: SandboxJob["status"], exception: string | null): void {
    job.status = status;
    job.exception = exception;
    job.endedAt = now;
  }

  private takeRule(runbook: string): Omit<ArmJobRule, "times"> | undefined {
    const index = this.rules.findIndex((rule) => !rule.runbook || rule.runbook.toLowerCase() === runbook.toLowerCase());
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules.splice(index, 1);
    }
    const { times: _times, ...fault } = rule;
    return fault;
  }
}

const stores = new WeakMap<TenantState, ArmJobStore>();

/** The Automation account of a sandbox tenant (created on first use). */
export function armJobStore(tenant: TenantState): ArmJobStore {
  let store = stores.get(tenant);
  if (!store) {
    store = new ArmJobStore(tenant);
    stores.set(tenant, store);
  }
  return store;
}
