/**
 * A small stand-in for the catalogue engine with its exact signatures, so the pipeline is tested
 * apart from the language: intents are a list of Graph writes (sent through the services' own
 * graph:request kind), checkpointed in the journal, suspending (status "running") when the
 * deadline passes between steps.
 */
import type { FieldError, MappedFields } from "../../../engine/index";
import type { PolicyDecision } from "../../../engine/language/policy/types";
import type { Judgement } from "../../../engine/lifecycle/policy/gate";
import type { EngineIntent, IntentEngine } from "../../../engine/lifecycle/types";
import type { RunResult, StepResult } from "../../../engine/runtime/types";

export interface FakeIntent extends EngineIntent {
  aliases: string[];
  fields: Array<{ label: string; variable: string; secret?: boolean }>;
  /** Each step POSTs to this path (with {variable} replaced). A step named `slow` takes `slowMs` on the clock. */
  steps: Array<{ id: string; path: string }>;
  slowMs?: number;
  /** Contact emails the stand-in policy refuses (everyone else is allowed; requester policy itself is tested against the sandbox). */
  refuse?: string[];
}

const squash = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

export interface FakeEngine extends IntentEngine<FakeIntent> {
  executions: number;
  judged: number;
  /** When set, execute waits on it after the first checkpoint: a process that dies mid-run. */
  hangAfterFirstStep?: Promise<never>;
}

export function fakeEngine(intents: FakeIntent[]): FakeEngine {
  const engine: FakeEngine = {
    executions: 0,
    judged: 0,
    find: (name) => intents.find((intent) => [intent.name, ...intent.aliases].some((n) => squash(n) === squash(name))),
    supportedNames: () => intents.map((intent) => intent.name),
    mapFields(intent, given): MappedFields {
      const fields: Record<string, unknown> = {};
      const errors: FieldError[] = [];
      const secretValues: string[] = [];
      for (const spec of intent.fields) {
        const key = Object.keys(given).find((label) => squash(label) === squash(spec.label));
        const value = key === undefined ? undefined : given[key];
        if (typeof value !== "string" || value === "") {
          errors.push({ field: spec.variable, label: spec.label, message: `${spec.label} is required.` });
          continue;
        }
        fields[spec.variable] = value;
        if (spec.secret) secretValues.push(value);
      }
      if (errors.length > 0) return { ok: false, errors };
      const identity = JSON.stringify(intent.fields.filter((f) => !f.secret).map((f) => [f.variable, fields[f.variable]]));
      return { ok: true, fields, identity, secretValues };
    },
    async judge(intent, { run }): Promise<Judgement> {
      engine.judged++;
      const refused = (intent.refuse ?? []).includes(run.contactEmail);
      const decision: PolicyDecision = {
        decision: refused ? "deny" : "allow",
        ...(refused ? { code: "POLICY_DENIED" as const } : {}),
        rule: { source: "fake rule", reason: refused ? "refused by the test" : "allowed by the test" },
        requester: { email: run.contactEmail, kind: "member" },
        approvers: [],
      };
      return { decision, sent: [], ...(refused ? { refusal: { userMessage: "You cannot ask for this; please ask your manager to request it.", detail: "Refused by the test.", fix: "Ask someone else." } } : {}) };
    },
    async execute(intent, options): Promise<RunResult> {
      engine.executions++;
      const { services, journal, deadline } = options;
      const done = journal ? await journal.load() : {};
      const steps: StepResult[] = [];
      for (const step of intent.steps) {
        const saved = done[step.id];
        if (saved) {
          steps.push({ ...saved.result, resumed: true });
          continue;
        }
        if (deadline !== undefined && services.clock.now() >= deadline) {
          return { status: "running", message: "Still working.", steps, resumeAfterMs: 0 };
        }
        const params = Object.fromEntries(Object.entries(options.fields).map(([name, value]) => [name, String(value)]));
        if (step.id === "slow") await services.clock.sleep(intent.slowMs ?? 0);
        const answer = await services.kinds.find("graph:request")!.run({ method: "POST", path: step.path, params, body: { ticket: options.run.ticketId } }, {
          clock: services.clock, events: services.events, runId: options.run.runId, stepId: step.id, mode: "live", signal: new AbortController().signal, idempotent: false,
        });
        const ok = (answer.response as { status: number }).status < 400;
        const result: StepResult = {
          id: step.id, kind: "graph:request", status: ok ? "changed" : "failed", attempts: 1, durationMs: 0,
          ...(ok ? {} : { error: { code: "GRAPH_ERROR", message: `Graph refused ${step.id} for <b>${String(options.fields.user)}</b>`, fix: "Check the user." } }),
        };
        services.events("step", { runId: options.run.runId, stepId: step.id, status: result.status });
        await journal?.save(step.id, { result, outputs: {} });
        steps.push(result);
        if (!ok) return { status: "failed", message: "The request could not be completed.", steps, ...(result.error ? { error: result.error } : {}) };
        if (engine.hangAfterFirstStep) await engine.hangAfterFirstStep;
      }
      return { status: "succeeded", message: `Done for ${String(options.fields.user)}.`, steps };
    },
  };
  return engine;
}
