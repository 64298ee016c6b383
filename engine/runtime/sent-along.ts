/**
 * A delivery sent in the same Graph `$batch` as the write just before it, to run only if that write
 * succeeded (`dependsOn`: Graph answers 424 otherwise), so the write and the mail that hands over
 * what it set cost one round trip, not two. Only where the run stays what it was step by step:
 * - the delivery is due now and renders from what the run knew before the write (its `when` and
 *   input read nothing of the write: not its status, not its outputs);
 * - neither step loops, waits (`after`), adopts, has a checkpoint or its own retry or timeout
 *   (one request carries both, under one set of client settings);
 * - a success of the write cannot come out failed: it renders no outputs, and each of its outcome
 *   rules either cannot fail it or tests an error status first (`match.status`, or
 *   `response.status == N` leading its `when`).
 * The write settles from its batch answer as if sent alone. The delivery takes its answer from the
 * batch when Graph ran it after the write succeeded (its throttling was retried there, as the
 * client retries any request); otherwise it runs on its own if the run reaches it, as it always
 * did. A run stopped between the batch and the delivery's checkpoint sends the delivery again: a
 * second copy of a mail is harmless, a lost credential mail is not (engine/kinds/graph/mail-send.ts).
 */
import type { Expr } from "../language/expression";
import { parse } from "../language/expression";
import type { GraphCall, GraphReadAnswer, KindAnswer } from "../core/step-kind";
import type { CompiledOutcome, CompiledStep } from "../language/spec/types";
import type { Template } from "../language/template/compile";
import { analyzeTemplate } from "../language/template/analyze";
import type { TemplateTree } from "../language/template/tree";
import { conjuncts, holds } from "./conditions";
import { renderInput } from "./step-input";
import type { RunMode, StepCheckpoint } from "./types";

/** The delivery a write carries in its `$batch`. */
export interface SendAlong {
  stepId: string;
  request: GraphCall;
  /** Graph ran the delivery after the write succeeded: its answer is the delivery's. */
  ran(response: GraphReadAnswer): void;
}

/** Answers of deliveries Graph ran in their write's `$batch`, by step id. */
export type SentAlong = Map<string, KindAnswer>;

export interface AlongEnv {
  mode: RunMode;
  offline?: boolean;
  sentAlong?: SentAlong;
}

/** The delivery `step` may carry in its `$batch`, when `next` is one that may go along. */
export function sendAlong(step: CompiledStep, next: CompiledStep | undefined, scope: object, env: AlongEnv, checkpoints: Record<string, StepCheckpoint>): SendAlong | undefined {
  const sent = env.sentAlong;
  if (env.mode !== "live" || env.offline || !sent || !next?.kind.graphSend || !mayGoAlong(step, next)) return undefined;
  if (checkpoints[step.id] || checkpoints[next.id]) return undefined;
  try {
    if (!holds(next.when, scope)) return undefined;
    const send = next.kind.graphSend(renderInput(next, scope));
    return send && { stepId: next.id, request: send.request, ran: (response) => void sent.set(next.id, send.answer(response)) };
  } catch {
    // What fails to render here fails again in the delivery itself, where it is reported.
    return undefined;
  }
}

const decided = new WeakMap<CompiledStep, { next: CompiledStep; goes: boolean }>();

/** What the steps are says whether `next` may go along with `step`: decided once per compiled pair, not every run. */
function mayGoAlong(step: CompiledStep, next: CompiledStep): boolean {
  const known = decided.get(step);
  if (known?.next === next) return known.goes;
  const goes = next.delivers && single(step) && single(next) && settlesAsAlone(step)
    && ![next.when, ...templatesOf(next.with)].some((template) => template && readsStep(template, step.id));
  decided.set(step, { next, goes });
  return goes;
}

/** One request now, under the client's own settings. */
function single(step: CompiledStep): boolean {
  return !step.forEach && !step.after && !step.adopt && step.retry === undefined && step.timeoutMs === undefined;
}

/** A success is recorded as one: nothing rendered from it can fail, no outcome rule can turn it into a failure. */
function settlesAsAlone(step: CompiledStep): boolean {
  if (step.outputs.length > 0 || Object.keys(step.kind.outputs ?? {}).length > 0) return false;
  return step.outcomes.every((rule) => testsErrorStatusFirst(rule) || (rule.result !== "failed" && !rule.when));
}

function testsErrorStatusFirst(rule: CompiledOutcome): boolean {
  const status = rule.match?.status ?? leadingStatus(rule.when);
  return status !== undefined && (status < 200 || status > 299);
}

/** N when a condition's first part is `response.status == N`: on any other status, nothing after it is evaluated. */
function leadingStatus(when: Template | undefined): number | undefined {
  if (!when) return undefined;
  const tree = parse(when.source);
  const [only] = tree.pieces;
  if (!tree.lone || only?.t !== "value") return undefined;
  const [first] = conjuncts(only.expr);
  if (first?.t !== "compare" || first.op !== "==") return undefined;
  return statusLiteral(first.left, first.right) ?? statusLiteral(first.right, first.left);
}

function statusLiteral(path: Expr, literal: Expr): number | undefined {
  const isStatus = path.t === "path" && path.parts.length === 2 && path.parts[0] === "response" && path.parts[1] === "status";
  return isStatus && literal.t === "literal" && typeof literal.value === "number" ? literal.value : undefined;
}

function templatesOf(tree: TemplateTree): Template[] {
  switch (tree.t) {
    case "literal":
      return [];
    case "template":
      return [tree.template];
    case "array":
      return tree.items.flatMap(templatesOf);
    case "object":
      return tree.entries.flatMap(([, child]) => templatesOf(child));
    case "secrets":
      return templatesOf(tree.tree);
  }
}

/** The template reads step `id` (its status or outputs), or the steps as a whole. */
function readsStep(template: Template, id: string): boolean {
  if (!template.source.includes("{{")) return false;
  return analyzeTemplate(template.source).references.some(({ parts: [root, name] }) => root === "steps" && (name === undefined || name === id));
}
