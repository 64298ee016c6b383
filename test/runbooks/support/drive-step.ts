import { createAutomationClient, readAutomationSettings } from "../../../engine/clients/arm";
import type { GraphClient } from "../../../engine/clients/graph/types";
import { ensureIntentError, type IntentError } from "../../../engine/core/errors";
import type { Clock, EngineServices } from "../../../engine/runtime/types";
import type { RunbookStepInput } from "../../../engine/kinds/automation/runbook";
import { builtinKinds } from "../../../engine/kinds";
import type { KindAnswer } from "../../../engine/core/step-kind";

export const ARM_SETTINGS = {
  AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_RESOURCE_GROUP: "rg-intents",
  AUTOMATION_ACCOUNT_NAME: "aa-intents",
  ARM_ACCESS_TOKEN: "sandbox-token",
};

/** The built-in kinds with an Automation client on the test's ARM server; intents see the coordinates, never the token. */
export function runbookServices(armBaseUrl: string, clock: Clock, events: Array<[string, Record<string, unknown>]> = []): EngineServices {
  const { ARM_ACCESS_TOKEN: _token, ...settings } = { ...ARM_SETTINGS, ARM_BASE_URL: armBaseUrl };
  const automation = createAutomationClient(readAutomationSettings({ ...ARM_SETTINGS, ARM_BASE_URL: armBaseUrl }));
  return {
    kinds: builtinKinds({ graph: {} as GraphClient, automation }),
    clock,
    settings,
    events: (event, fields) => events.push([event, fields]),
  };
}

export interface DriveResult {
  answer?: KindAnswer;
  error?: IntentError;
  /** The kind's state when the run suspended (its deadline came before the job finished). */
  suspendedState?: unknown;
  calls: number;
}

/**
 * Runs the step the way the interpreter does: call `run` again while it answers pending, sleeping
 * on the injected clock until `deadline`, after which the run suspends with the kind's state.
 */
export async function driveStep(
  input: RunbookStepInput,
  options: { services: EngineServices; runId: string; stepId: string; timeoutMs?: number; state?: unknown; deadline?: number },
): Promise<DriveResult> {
  const { services } = options;
  const runbook = services.kinds.find("automation:runbook")!;
  let state = options.state;
  for (let calls = 1; ; calls++) {
    let answer: KindAnswer;
    try {
      answer = await runbook.run(input, {
        clock: services.clock,
        events: services.events,
        runId: options.runId,
        stepId: options.stepId,
        mode: "live",
        signal: new AbortController().signal,
        idempotent: true,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(state === undefined ? {} : { state }),
      });
    } catch (thrown) {
      return { error: ensureIntentError(thrown), calls };
    }
    if (!answer.pending) return { answer, calls };
    if (options.deadline !== undefined && services.clock.now() + answer.pending.resumeAfterMs > options.deadline) {
      return { suspendedState: answer.pending.state, calls };
    }
    await services.clock.sleep(answer.pending.resumeAfterMs);
    state = answer.pending.state;
  }
}
