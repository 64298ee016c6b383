/** Turns an analysed intent into an immutable plan with every template precompiled. */
import { IntentError } from "../../core/errors";
import type { StepKindSpec } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { analyzeTemplate } from "../template/analyze";
import type { PredicateTable } from "../expression";
import { compileTemplate, type Template } from "../template/compile";
import { compileTree, deepFreeze, type TreeSlots } from "../template/tree";
import { pathMatches } from "./references";
import type { AdoptSpec, CompiledAdopt, CompiledIntent, CompiledPlan, CompiledStep, CompiledUndo, FieldSpec, IntentSpec, StepSpec } from "./types";
import { compileNotices, undoIntentSpec } from "./snapshot-undo";
import { declaredOutputs, secretOutputNames } from "./step-outputs";
import { compileTrigger } from "./trigger";
import { compileRule } from "../policy/compile";
import { lazySchema } from "./lazy-schema";
import { compileAfter, compileStart } from "./schedule";

function entries(pairs: ReadonlyArray<readonly [string, string]>, predicates: PredicateTable): ReadonlyArray<readonly [string, Template]> {
  return Object.freeze(pairs.map(([name, text]) => Object.freeze([name, compileTemplate(text, predicates)] as const)));
}

/** True when any template under `value` reads a secret field (`fields: true`) or a secret step output. */
function readsSecret(spec: IntentSpec, value: unknown, kinds: KindSpecs, fields = true): boolean {
  if (typeof value === "string") {
    if (!value.includes("{{")) return false;
    return analyzeTemplate(value).references.some(({ parts: [root, name, third, output] }) => {
      // A secret setting is a secret, though no step output: `fields` false asks for step outputs only.
      if (root === "secrets") return fields;
      if (root === "fields") return fields && spec.fields[name ?? ""]?.secret === true;
      if (root !== "steps" || third !== "output") return false;
      return secretOutputNames(spec.steps.find((s) => s.id === name), kinds).has(output ?? "");
    });
  }
  if (value !== null && typeof value === "object") return Object.values(value).some((child) => readsSecret(spec, child, kinds, fields));
  return false;
}

function readsRoot(text: string | undefined, root: string): boolean {
  return text !== undefined && text.includes("{{") && analyzeTemplate(text).references.some((r) => r.parts[0] === root);
}

/** A step input's typed slots: the kind's URL slots, and its secret paths when the intent has secret settings. */
function inputSlots(spec: IntentSpec, kind: StepKindSpec): TreeSlots {
  if (!spec.secrets?.length) return { url: kind.urlSlot };
  return { url: kind.urlSlot, secret: (path) => pathMatches(kind.secretPaths, path, true) };
}

/** `find` and `replace` are requests of the step's kind, compiled as its `with` is (URL slots; never a secret). */
function compileAdopt(adopt: AdoptSpec, kind: StepKindSpec, predicates: PredicateTable): CompiledAdopt {
  return Object.freeze({
    match: deepFreeze({ ...adopt.match }),
    find: compileTree(adopt.find, { url: kind.urlSlot }, predicates),
    ours: compileTemplate(adopt.ours, predicates),
    ...(adopt.replace ? { replace: compileTree(adopt.replace, { url: kind.urlSlot }, predicates) } : {}),
  });
}

function compileStep(spec: IntentSpec, step: StepSpec, kinds: KindSpecs, predicates: PredicateTable): CompiledStep {
  const kind = kinds.find(step.kind);
  if (!kind) throw new IntentError("SPEC_UNKNOWN_STEP_KIND", `Unknown step kind ${step.kind}.`);
  const secretOutputs = secretOutputNames(step, kinds);
  return Object.freeze({
    id: step.id,
    ...(step.description ? { description: step.description } : {}),
    kind,
    ...(step.when ? { when: compileTemplate(step.when, predicates) } : {}),
    ...(step.forEach ? { forEach: compileTemplate(step.forEach, predicates) } : {}),
    as: step.as ?? "item",
    with: compileTree(step.with ?? {}, inputSlots(spec, kind), predicates),
    outputs: entries(declaredOutputs(step).map((o) => [o.name, o.template] as const), predicates),
    secretOutputs,
    outcomes: Object.freeze(
      (step.outcomes ?? []).map((o) =>
        Object.freeze({
          result: o.result,
          ...(o.match ? { match: deepFreeze({ ...o.match }) } : {}),
          ...(o.when ? { when: compileTemplate(o.when, predicates) } : {}),
          ...(o.error ? { error: Object.freeze({ code: o.error.code, message: compileTemplate(o.error.message, predicates), ...(o.error.fix ? { fix: o.error.fix } : {}) }) } : {}),
        }),
      ),
    ),
    idempotent: step.idempotent ?? false,
    ...(step.retry ? { retry: deepFreeze({ ...step.retry }) } : {}),
    ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
    continueOnError: step.continueOnError ?? false,
    handlesSecrets: secretOutputs.size > 0 || readsSecret(spec, step.with, kinds),
    outcomesReadOutput: (step.outcomes ?? []).some((o) => [o.when, o.error?.message].some((text) => readsRoot(text, "output"))),
    ...compileAfter(step),
    readsSecretOutputs: readsSecret(spec, step.with, kinds, false),
    delivers: kind.delivers === true && readsSecret(spec, step.with, kinds),
    ...(step.adopt ? { adopt: compileAdopt(step.adopt, kind, predicates) } : {}),
  });
}

/** `predicates`: the named predicates in reach (the libraries' and the intent's own), by name. */
export function compileIntent(spec: IntentSpec, file: string, kinds: KindSpecs, predicates: PredicateTable = new Map()): CompiledIntent {
  const fields: FieldSpec[] = Object.entries(spec.fields).map(([variable, f]) => ({
    ...f,
    variable,
    required: f.required ?? false,
    secret: f.secret ?? false,
  }));
  const messages = spec.result.messages;
  const plan: CompiledPlan = {
    snapshot: Object.freeze((spec.snapshot ?? []).map((step) => compileStep(spec, step, kinds, predicates))),
    steps: Object.freeze(spec.steps.map((step) => compileStep(spec, step, kinds, predicates))),
    messages: Object.freeze({
      succeeded: compileTemplate(messages.succeeded, predicates),
      failed: compileTemplate(messages.failed, predicates),
      partial: messages.partial === undefined ? undefined : compileTemplate(messages.partial, predicates),
      running: messages.running === undefined ? undefined : compileTemplate(messages.running, predicates),
      scheduled: messages.scheduled === undefined ? undefined : compileTemplate(messages.scheduled, predicates),
    }),
    outputs: entries(Object.entries(spec.result.outputs ?? {}), predicates),
    ...(spec.result.credential ? { credential: compileTemplate(spec.result.credential, predicates) } : {}),
    constants: deepFreeze(structuredClone(spec.constants ?? {})),
    ...(spec.validation ? { validator: lazySchema(spec.validation) } : {}),
    identity: Object.freeze(spec.identity ?? fields.filter((f) => !f.secret).map((f) => f.variable)),
    ...compileStart(spec),
  };
  return deepFreeze({
    name: spec.name,
    aliases: spec.aliases ?? [],
    description: spec.description,
    risk: spec.risk,
    permissions: { graph: spec.permissions.graph ?? [], entraRoles: spec.permissions.entraRoles ?? [], exchangeRoles: spec.permissions.exchangeRoles ?? [] },
    settings: spec.settings ?? [],
    secrets: spec.secrets ?? [],
    fields,
    file,
    plan: Object.freeze(plan),
    ...(spec.trigger ? { trigger: compileTrigger(spec.trigger, predicates) } : {}),
    ...(spec.target && spec.target !== "none" ? { target: spec.target.slice("fields.".length) } : {}),
    ...(spec.policy ? { policy: compileRule(spec.policy, `intent "${spec.name}" policy`) } : {}),
    ...(spec.undo ? { undo: compileUndo(spec, file, kinds, predicates) } : {}),
  });
}

function compileUndo(spec: IntentSpec, file: string, kinds: KindSpecs, predicates: PredicateTable): CompiledUndo {
  return {
    intent: compileIntent(undoIntentSpec(spec), file, kinds, predicates),
    irreversible: compileNotices(spec.undo?.irreversible, predicates),
    changedSince: compileNotices(spec.undo?.changedSince, predicates),
  };
}
