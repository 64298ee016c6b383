/**
 * An intent's `snapshot:` (read-only steps run first, whose outputs are recorded with the run) and
 * its `undo:` (ordinary steps that reverse a run from what it recorded). Each is checked as steps
 * of its own, where it is written (`snapshot[i]`, `undo.steps[i]`), with the roots it may read:
 * a snapshot step reads fields, settings, constants and run; an undo also reads `snapshot`,
 * `original` (what the run being undone did) and its own earlier steps, and never a secret field.
 */
import type { Diagnostic } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import type { PredicateTable } from "../expression";
import { compileTemplate } from "../template/compile";
import { analyzeIntent, type AnalyzeOptions, type IntentPart } from "./analyze";
import { diagnosticReporter } from "./diagnostic-reporter";
import { expandFragments, type Expansion } from "./fragments";
import { EMPTY_LIBRARY } from "./library-types";
import type { DocPath, SourceFile } from "./source";
import { outputNames, secretOutputNames } from "./step-outputs";
import type { CompiledNotice, IntentSpec, NoticeSpec, StepSpec } from "./types";

/** What an undo says when its intent names no message of its own. */
export const UNDO_MESSAGES = {
  succeeded: "The earlier change was undone.",
  partial: "Part of the earlier change was undone; the helpdesk has the details.",
  failed: "The earlier change could not be undone: {{error.message}}",
} as const;

/** A source whose paths are those of a part: `steps.2.with` of the undo is written at `undo.steps.2.with`. */
function reroot(source: SourceFile, roots: Readonly<Record<string, DocPath>>): SourceFile {
  const map = (path: DocPath): DocPath => {
    const [first, ...rest] = path;
    const at = typeof first === "string" ? roots[first] : undefined;
    return at ? [...at, ...rest] : path;
  };
  return {
    file: source.file,
    value: source.value,
    locate: (path, key) => source.locate(map(path), key),
    locateAt: (path, offset) => source.locateAt(map(path), offset),
    isLiteral: (path) => source.isLiteral(map(path)),
  };
}

/** The intent with other steps and result: how a part is analysed and compiled. */
function withSteps(spec: IntentSpec, steps: StepSpec[], result: IntentSpec["result"]): IntentSpec {
  // An undo starts when it is asked for: it keeps no trigger and no start date of the intent's.
  const { snapshot: _snapshot, undo: _undo, trigger: _trigger, schedule: _schedule, ...rest } = spec;
  return { ...rest, aliases: [], steps, result };
}

/** The undo as an intent of its own: its steps, messages (the defaults where it names none) and outputs. */
export function undoIntentSpec(spec: IntentSpec): IntentSpec {
  const undo = spec.undo;
  const messages = { ...UNDO_MESSAGES, ...(undo?.result?.messages ?? {}) };
  const result: IntentSpec["result"] = { messages, ...(undo?.result?.outputs ? { outputs: undo.result.outputs } : {}) };
  return { ...withSteps(spec, undo?.steps ?? [], result), name: `Undo ${spec.name}` };
}

/** Each snapshot step's id and the output names it records. */
export function snapshotOutputs(spec: Pick<IntentSpec, "snapshot">, kinds: KindSpecs): Map<string, Set<string>> {
  return new Map((spec.snapshot ?? []).map((step) => [step.id, outputNames(step, kinds)]));
}

interface PartAnalysis {
  diagnostics: Diagnostic[];
  /** The part's steps with their fragment uses resolved. */
  steps: StepSpec[];
}

function analyzePart(source: SourceFile, derived: IntentSpec, roots: Readonly<Record<string, DocPath>>, options: AnalyzeOptions, part: IntentPart): PartAnalysis {
  const rerooted = reroot(source, roots);
  const expansion: Expansion = expandFragments(derived, options.library ?? EMPTY_LIBRARY);
  const diagnostics: Diagnostic[] = [];
  const report = diagnosticReporter(rerooted, undefined, diagnostics);
  for (const problem of expansion.problems) report(problem.code, problem.message, problem.path, { key: problem.key === true });
  const expanded = expansion.spec as IntentSpec;
  diagnostics.push(...analyzeIntent(rerooted, expanded, { ...options, expansion, part }));
  return { diagnostics, steps: expanded.steps };
}

/** Snapshot steps only read, record no secret, and share no id with the intent's steps. */
function checkSnapshotSteps(source: SourceFile, spec: IntentSpec, steps: readonly StepSpec[], kinds: KindSpecs): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = diagnosticReporter(reroot(source, { steps: ["snapshot"] }), undefined, diagnostics);
  const stepIds = new Set(spec.steps.map((step) => step.id));
  steps.forEach((step, i) => {
    if (stepIds.has(step.id)) report("SPEC_DUPLICATE_STEP_ID", `"${step.id}" is the id of a step too; snapshot and step ids are one namespace`, ["steps", i, "id"]);
    const kind = kinds.find(step.kind);
    if (!kind) return;
    let readOnly: boolean;
    try {
      readOnly = kind.isReadOnly(step.with ?? {});
    } catch {
      readOnly = false;
    }
    if (!readOnly) report("SPEC_SNAPSHOT_WRITE", `a snapshot step only reads, before anything changes; this ${step.kind} step writes (move it to steps)`, ["steps", i, "kind"]);
    const secrets = [...secretOutputNames(step, kinds)];
    if (secrets.length > 0) report("SPEC_SECRET_NOT_ALLOWED", `a snapshot is recorded with the run and holds no secret; ${secrets.join(", ")} would be one`, ["steps", i, "outputs"]);
  });
  return diagnostics;
}

export interface PartsAnalysis {
  diagnostics: Diagnostic[];
  /** The intent with its snapshot's and undo's fragment uses resolved. */
  spec: IntentSpec;
}

/** Checks `snapshot:` and `undo:`; the intent's own steps are checked by analyzeIntent with `snapshot` in reach. */
export function analyzeSnapshotAndUndo(source: SourceFile, spec: IntentSpec, options: AnalyzeOptions): PartsAnalysis {
  const { kinds } = options;
  const diagnostics: Diagnostic[] = [];
  let resolved = spec;
  if (spec.snapshot) {
    const snapshot = analyzePart(source, withSteps(spec, spec.snapshot, { messages: {} as IntentSpec["result"]["messages"] }), { steps: ["snapshot"] }, options, {
      name: "snapshot", scope: { snapshotStep: true }, parallel: true, noSecrets: true,
    });
    diagnostics.push(...snapshot.diagnostics, ...checkSnapshotSteps(source, spec, snapshot.steps, kinds));
    resolved = { ...resolved, snapshot: snapshot.steps };
  }
  if (spec.undo) {
    const undo = spec.undo;
    const notices = [
      ...(undo.irreversible ?? []).map((notice, i) => ({ path: ["irreversible", i] as DocPath, notice, after: false })),
      ...(undo.changedSince ?? []).map((notice, i) => ({ path: ["changedSince", i] as DocPath, notice, after: true })),
    ];
    const original = new Set([...(resolved.snapshot ?? []), ...spec.steps].map((step) => step.id));
    const derived = withSteps(spec, undo.steps, { messages: (undo.result?.messages ?? {}) as IntentSpec["result"]["messages"], ...(undo.result?.outputs ? { outputs: undo.result.outputs } : {}) });
    const roots = { steps: ["undo", "steps"], result: ["undo", "result"], irreversible: ["undo", "irreversible"], changedSince: ["undo", "changedSince"] };
    const part = analyzePart(source, derived, roots, options, {
      name: "undo", scope: { snapshot: snapshotOutputs(resolved, kinds), original, recorded: true }, notices,
    });
    diagnostics.push(...part.diagnostics);
    resolved = { ...resolved, undo: { ...undo, steps: part.steps } };
  }
  return { diagnostics, spec: resolved };
}

export function compileNotices(notices: readonly NoticeSpec[] | undefined, predicates: PredicateTable): readonly CompiledNotice[] {
  return Object.freeze((notices ?? []).map((notice) => Object.freeze({
    ...(notice.when ? { when: compileTemplate(notice.when, predicates) } : {}),
    ...(notice.forEach ? { forEach: compileTemplate(notice.forEach, predicates) } : {}),
    as: notice.as ?? "item",
    message: compileTemplate(notice.message, predicates),
  })));
}
