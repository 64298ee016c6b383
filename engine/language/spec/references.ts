/**
 * Which template roots a place in an intent may read, and whether a read path is known there.
 * The analyzer builds one Scope per place (a step's input, its outputs, a result message, …).
 */
import type { KindSpecs } from "../../core/step-kind-registry";
import type { IntentSpec } from "./types";
import { outputNames, secretOutputNames } from "./step-outputs";

export const RUN_KEYS: ReadonlySet<string> = new Set(["runId", "ticketId", "intentName", "contactName", "contactEmail", "companyName", "startedAt"]);
/** What `result.messages.scheduled` reads of the wait: when (ISO 8601 and in words) and which step waits. */
export const SCHEDULE_KEYS: ReadonlySet<string> = new Set(["at", "when", "step"]);

export interface Scope {
  /** Steps that run before this place (ids in order). */
  earlier: ReadonlySet<string>;
  /** Every step id of the intent, to tell a forward reference from an unknown one. */
  all: ReadonlySet<string>;
  item?: string;
  response: boolean;
  error: boolean;
  /** A trigger's templates: they read the changed object (`resource`), settings and constants only. */
  trigger?: boolean;
  /** A step's outcomes: its own declared outputs, rendered from the same answer, read as `output.<name>`. */
  output?: ReadonlySet<string>;
  /** Which of those outputs hold a secret. */
  outputSecrets?: ReadonlySet<string>;
  /** An intent's predicate: it reads the item under test, fields, settings, constants and run. */
  predicate?: boolean;
  /** `result.messages.scheduled`: it also reads `schedule` (when the run or its next step will run). */
  schedule?: boolean;
  /** The snapshot is readable here: each snapshot step's id → its output names (language/spec/undo.ts). */
  snapshot?: ReadonlyMap<string, ReadonlySet<string>>;
  /** A snapshot step: it runs first, beside the others, and reads fields, settings, constants and run only. */
  snapshotStep?: boolean;
  /** An undo: the original run's step ids are readable as `original.steps.<id>`. */
  original?: ReadonlySet<string>;
  /** Reads only what a run recorded: no secret field (an undo). */
  recorded?: boolean;
}

export type ReferenceVerdict =
  | { ok: true; secret: boolean; secretSetting?: boolean }
  | { ok: false; code: "SPEC_UNKNOWN_REFERENCE" | "SPEC_FORWARD_REFERENCE" | "SPEC_SECRET_NOT_ALLOWED"; message: string };

function stepOutputs(spec: IntentSpec, stepId: string, kinds: KindSpecs): { declared: Set<string>; secret: Set<string> } {
  const step = spec.steps.find((s) => s.id === stepId);
  return { declared: outputNames(step, kinds), secret: secretOutputNames(step, kinds) };
}

export function checkReference(spec: IntentSpec, scope: Scope, parts: string[], kinds: KindSpecs): ReferenceVerdict {
  const [root, second, third, fourth] = parts;
  const shown = parts.join(".");
  const unknown = (why: string): ReferenceVerdict => ({ ok: false, code: "SPEC_UNKNOWN_REFERENCE", message: `"${shown}": ${why}` });
  if (scope.trigger) {
    if (root === "resource") return second === undefined ? unknown("name a property of the changed object, e.g. resource.id") : { ok: true, secret: false };
    if (root !== "settings" && root !== "constants") return unknown("a trigger reads only resource, settings and constants");
  }
  if (scope.predicate && (root === "steps" || root === "response" || root === "error" || root === "output" || root === "snapshot" || root === "original")) {
    return unknown("a predicate reads item, fields, settings, constants and run (it is tested wherever it is used)");
  }
  if (scope.snapshotStep && (root === "steps" || root === "snapshot" || root === "secrets")) {
    return unknown("a snapshot step runs first, beside the others, and reads only fields, settings, constants and run");
  }
  switch (root) {
    case "output": {
      if (!scope.output) return unknown("output is readable only in a step's own outcomes (and not in a for-each step's)");
      if (second === undefined || !scope.output.has(second)) return unknown(`this step declares no output "${second ?? ""}"; declared: ${[...scope.output].join(", ") || "none"}`);
      return { ok: true, secret: scope.outputSecrets?.has(second) === true };
    }
    case "fields": {
      const field = second === undefined ? undefined : spec.fields[second];
      if (!field) return unknown(`no field "${second ?? ""}"; declared: ${Object.keys(spec.fields).join(", ") || "none"}`);
      if (scope.recorded && field.secret) {
        return { ok: false, code: "SPEC_SECRET_NOT_ALLOWED", message: `"${shown}": an undo reads the fields its run recorded, and a secret field is never recorded` };
      }
      return { ok: true, secret: field.secret === true };
    }
    case "snapshot":
      return checkSnapshotReference(scope, second, third, unknown);
    case "original":
      return checkOriginalReference(scope, parts, unknown);
    case "settings":
      return (spec.settings ?? []).includes(second ?? "") ? { ok: true, secret: false } : unknown(`setting "${second ?? ""}" is not declared in settings`);
    case "secrets":
      return (spec.secrets ?? []).includes(second ?? "")
        ? { ok: true, secret: true, secretSetting: true }
        : unknown(`secret setting "${second ?? ""}" is not declared in secrets`);
    case "constants":
      return second !== undefined && Object.hasOwn(spec.constants ?? {}, second) ? { ok: true, secret: false } : unknown(`no constant "${second ?? ""}"`);
    case "run":
      return RUN_KEYS.has(second ?? "") ? { ok: true, secret: false } : unknown(`run has only ${[...RUN_KEYS].join(", ")}`);
    case "schedule":
      if (!scope.schedule) return unknown("schedule is only readable in result.messages.scheduled");
      return SCHEDULE_KEYS.has(second ?? "") && third === undefined ? { ok: true, secret: false } : unknown(`schedule has only ${[...SCHEDULE_KEYS].join(", ")}`);
    case "response":
      return scope.response ? { ok: true, secret: false } : unknown("response is only readable in a step's outputs and outcomes");
    case "error":
      return scope.error ? { ok: true, secret: false } : unknown("error is only readable in result.messages.failed and partial");
    case "steps": {
      if (second === undefined || !scope.all.has(second)) return unknown(`no step "${second ?? ""}"`);
      if (!scope.earlier.has(second)) {
        return { ok: false, code: "SPEC_FORWARD_REFERENCE", message: `"${shown}": step "${second}" does not run before this point (a step reads only the steps above it: move "${second}" up, or read it in a later step)` };
      }
      if (third === "status" && fourth === undefined) return { ok: true, secret: false };
      if (third !== "output") return unknown(`a step exposes only .status and .output.<name>`);
      const outputs = stepOutputs(spec, second, kinds);
      if (fourth === undefined || !outputs.declared.has(fourth)) {
        return unknown(`step "${second}" declares no output "${fourth ?? ""}"; declared: ${[...outputs.declared].join(", ") || "none"}`);
      }
      return { ok: true, secret: outputs.secret.has(fourth) };
    }
    default:
      if (root !== undefined && root === scope.item) return { ok: true, secret: false };
      return unknown(`unknown root "${root ?? ""}"; templates read fields, settings, secrets, constants, run, steps${scope.item ? `, ${scope.item}` : ""}`);
  }
}

function checkSnapshotReference(scope: Scope, step: string | undefined, output: string | undefined, unknown: (why: string) => ReferenceVerdict): ReferenceVerdict {
  if (!scope.snapshot) return unknown("this intent declares no snapshot");
  const outputs = step === undefined ? undefined : scope.snapshot.get(step);
  if (!outputs) return unknown(`no snapshot step "${step ?? ""}"; declared: ${[...scope.snapshot.keys()].join(", ") || "none"}`);
  if (output === undefined || !outputs.has(output)) return unknown(`snapshot step "${step}" declares no output "${output ?? ""}"; declared: ${[...outputs].join(", ") || "none"}`);
  return { ok: true, secret: false };
}

const ORIGINAL_STEP_KEYS = new Set(["status", "changed"]);

/** `original.runId`, `original.status`, `original.steps.<id>.status` and `.changed`: what the run being undone did. */
function checkOriginalReference(scope: Scope, parts: readonly string[], unknown: (why: string) => ReferenceVerdict): ReferenceVerdict {
  if (!scope.original) return unknown("original is readable only in an undo");
  const [, second, third, fourth] = parts;
  if ((second === "runId" || second === "status") && parts.length === 2) return { ok: true, secret: false };
  if (second !== "steps") return unknown("original has runId, status and steps.<id>.status / .changed");
  if (third === undefined || !scope.original.has(third)) return unknown(`the intent has no step "${third ?? ""}"`);
  if (fourth === undefined || !ORIGINAL_STEP_KEYS.has(fourth) || parts.length !== 4) return unknown("a step of the original run exposes only .status and .changed");
  return { ok: true, secret: false };
}

/** `requests.*.body` matches the leaf path requests.user.body.x (a prefix, `*` = one key). */
export function pathMatches(patterns: readonly string[] | undefined, path: ReadonlyArray<string | number>, exact: boolean): boolean {
  return (patterns ?? []).some((pattern) => {
    const parts = pattern.split(".");
    if (parts.length > path.length || (exact && parts.length !== path.length)) return false;
    return parts.every((part, i) => part === "*" || part === String(path[i]));
  });
}
