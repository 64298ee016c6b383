/**
 * `undo:latest`: undoes the most recent run of an intent that changed something for a target,
 * through that intent's own `undo:` steps, against the tenant as it is now. The step is `changed`
 * when the undo changed something, `ok` when nothing was left to undo, and fails with
 * UNDO_NOTHING_FOUND when there is no such run (or the undo's own error). Its outputs say which
 * run was undone and what was not reversed.
 */
import { IntentError } from "../../core/errors";
import type { Classification, KindAnswer, StepKind, StepKindSpec } from "../../core/step-kind";
import type { UndoLatestAnswer, UndoService } from "./service";

export interface UndoLatestInput {
  intent: string;
  target: string;
}

export interface UndoKindDeps {
  /** Absent where the host keeps no runs to undo (the cases, the CLI): the step then fails. */
  undo?: UndoService;
}

export const undoLatestSpec: StepKindSpec<UndoLatestInput> = {
  id: "undo:latest",
  description: "Undoes the most recent run of an intent that changed something for a target, through the intent's undo: steps.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["intent", "target"],
    properties: { intent: { type: "string", minLength: 1 }, target: { type: "string", minLength: 1 } },
  },
  outputs: {
    undoOf: { description: "The run undone (its runId)." },
    irreversible: { description: "What that run changed that nothing restores, one sentence each." },
    changedSince: { description: "What someone changed since that run, left as it is, one sentence each." },
    message: { description: "The undo's own sentence." },
  },
  isReadOnly: () => false,
  lint(step, report) {
    if (!step.isLiteral(["intent"])) report("SPEC_STEP_INPUT", "intent names the intent to undo, as a literal", ["intent"]);
  },
  describe: (input) => ({ undo: `the latest ${input.intent} of ${input.target}` }),
  classify(response): Classification {
    const answer = response as UndoLatestAnswer;
    if (!answer.found) return { success: false, code: "UNDO_NOTHING_FOUND", message: answer.error?.message ?? "", error: { code: "UNDO_NOTHING_FOUND", message: answer.error?.message ?? "No run to undo was found." } };
    if (answer.error || answer.status === "failed") {
      const error = answer.error ?? { code: "STEP_FAILED", message: answer.message ?? "The undo failed." };
      return { success: false, code: error.code, message: error.message, error };
    }
    return { success: true, outcome: answer.status === "nothing_to_undo" ? "ok" : "changed" };
  },
};

export function undoKinds({ undo }: UndoKindDeps): StepKind[] {
  return [{
    ...undoLatestSpec,
    async run(input, ctx): Promise<KindAnswer> {
      if (!undo) throw new IntentError("UNDO_NOT_DECLARED", "This host keeps no runs to undo.", { fix: "Run the undo through the Function App (or npm start)." });
      const answer = await undo.undoLatest({ intent: input.intent, target: input.target, runId: ctx.runId, mode: ctx.mode }, ctx.events);
      return {
        response: answer,
        attempts: 1,
        outputs: { undoOf: answer.undoOf ?? null, irreversible: answer.irreversible, changedSince: answer.changedSince, message: answer.message ?? null },
      };
    },
  }];
}
