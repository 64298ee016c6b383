/**
 * Resolves an intent's fragment uses at compile time: `use:` steps, `{ use: … }` requests and
 * outcome-set uses become ordinary steps, requests and rules, with each `inputs.x` replaced by the
 * expression the use site passed. Problems of a use are reported at the use site; everything the
 * expanded intent is checked for afterwards is located through `origins` (at the use site, naming
 * the fragment's own line, fragment-origins.ts). What a use is checked for is in fragment-uses.ts;
 * how inputs enter a fragment's templates, in fragment-substitution.ts; library data taken as
 * constants and field defaults, in fragment-data.ts.
 */
import type { ErrorCode } from "../../core/errors";
import type { DocPath } from "./source";
import type { Fragment, Library, LibraryRule } from "./library-types";
import { DataExpander } from "./fragment-data";
import { pathKey, type Origin } from "./fragment-origins";
import { substituteText } from "./fragment-substitution";
import { typeProblem, unknownFragmentMessage, unknownInputMessage } from "./fragment-uses";

export interface Expansion {
  /** The intent with every use resolved. */
  spec: unknown;
  /** Expanded path (joined with NUL) → origin, for every node not at its own path in the intent. */
  origins: Map<string, Origin>;
  problems: Array<{ code: ErrorCode; message: string; path: DocPath; key?: boolean }>;
  /** Steps with a use that could not be resolved: their input is not checked against their kind. */
  unresolved: Set<number>;
  /** Every input value passed at a use site, with the step it belongs to and whether `response` is in reach. */
  inputs: Array<{ path: DocPath; value: unknown; step: number; response: boolean }>;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isUse(value: unknown): value is { use: string; inputs?: Obj; on?: string } {
  return isObject(value) && typeof value.use === "string";
}

class Expander {
  readonly origins = new Map<string, Origin>();
  readonly problems: Expansion["problems"] = [];
  readonly inputs: Expansion["inputs"] = [];
  readonly unresolved = new Set<number>();

  constructor(private readonly library: Library) {}

  private problem(code: ErrorCode, message: string, path: DocPath, key = false): void {
    this.problems.push({ code, message, path, ...(key ? { key } : {}) });
  }

  private unknown(kind: string, name: string, known: Iterable<string>, path: DocPath): void {
    this.problem("SPEC_UNKNOWN_FRAGMENT", unknownFragmentMessage(kind, name, known), path);
  }

  /** Checks the use's inputs against the fragment's and returns them by name (missing ones as null). */
  private bindInputs(fragment: Fragment<unknown>, use: { inputs?: Obj }, at: DocPath, step: number, response: boolean): Map<string, unknown> {
    const given = isObject(use.inputs) ? use.inputs : {};
    const bound = new Map<string, unknown>();
    for (const [name, value] of Object.entries(given)) {
      const declared = fragment.inputs[name];
      if (!declared) {
        this.problem("SPEC_FRAGMENT_INPUT", unknownInputMessage(fragment.name, name, Object.keys(fragment.inputs)), [...at, "inputs", name], true);
        continue;
      }
      const wrong = typeProblem(declared, value);
      if (wrong) this.problem("SPEC_FRAGMENT_INPUT", `input "${name}" of "${fragment.name}" ${wrong}`, [...at, "inputs", name]);
      this.inputs.push({ path: [...at, "inputs", name], value, step, response });
      bound.set(name, value);
    }
    const missing = Object.entries(fragment.inputs).filter(([name, input]) => input.required && !bound.has(name)).map(([name]) => name);
    if (missing.length > 0) {
      // What the fragment would produce without them is not worth checking: the use is the problem.
      this.unresolved.add(step);
      const where = `${fragment.at.source.file}:${fragment.at.source.locate(fragment.at.path, true).line}`;
      this.problem("SPEC_FRAGMENT_INPUT", `"${fragment.name}" (${where}) needs input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`, [...at, "use"]);
    }
    return bound;
  }

  /**
   * The fragment's value with inputs substituted (and, with `on`, `response` re-rooted to
   * `response.<on>`), recording where each produced node came from.
   */
  private instantiate(value: unknown, fragment: Fragment<unknown>, fragmentPath: DocPath, inputs: Map<string, unknown>, use: DocPath, out: DocPath, on?: string): unknown {
    const origin = (exact: boolean): Origin => ({ kind: "fragment", name: fragment.name, written: { source: fragment.at.source, path: fragmentPath }, use, exact });
    if (typeof value === "string") {
      if (!value.includes("{{")) {
        this.origins.set(pathKey(out), origin(true));
        return value;
      }
      const lone = /^\{\{\s*inputs\.([a-zA-Z][a-zA-Z0-9]*)\s*\}\}$/.exec(value)?.[1];
      if (lone !== undefined && fragment.inputs[lone] && on === undefined) {
        const given = inputs.get(lone);
        this.origins.set(pathKey(out), given === undefined || given === null ? origin(true) : { kind: "input", path: [...use, "inputs", lone] });
        return given ?? null;
      }
      const { text, changed } = substituteText(value, inputs, new Set(Object.keys(fragment.inputs)), on, (name, why) => this.problem("SPEC_FRAGMENT_INPUT", `input "${name}" of "${fragment.name}" ${why}`, [...use, "inputs", name]));
      this.origins.set(pathKey(out), origin(!changed));
      return text;
    }
    this.origins.set(pathKey(out), origin(true));
    if (Array.isArray(value)) return value.map((item, i) => this.instantiate(item, fragment, [...fragmentPath, i], inputs, use, [...out, i], on));
    if (isObject(value)) {
      const copy: Obj = {};
      for (const [key, child] of Object.entries(value)) {
        // A key filled only by an optional input the use left out is left out too (no `$select`, no body key).
        const lone = typeof child === "string" ? /^\{\{\s*inputs\.([a-zA-Z][a-zA-Z0-9]*)\s*\}\}$/.exec(child)?.[1] : undefined;
        if (lone !== undefined && inputs.get(lone) === undefined && fragment.inputs[lone]) continue;
        copy[key] = this.instantiate(child, fragment, [...fragmentPath, key], inputs, use, [...out, key], on);
      }
      return copy;
    }
    return value;
  }

  /** A step's `with`: every `{ use }` object where a request may stand becomes that request. */
  private expandRequests(value: unknown, raw: DocPath, out: DocPath, step: number): unknown {
    if (isUse(value)) {
      const fragment = this.library.requests.get(value.use);
      if (!fragment) {
        this.unknown("request fragment", value.use, this.library.requests.keys(), [...raw, "use"]);
        this.unresolved.add(step);
        return value;
      }
      const inputs = this.bindInputs(fragment, value, raw, step, false);
      return this.instantiate(fragment.body, fragment, [...fragment.at.path, "request"], inputs, raw, out);
    }
    if (Array.isArray(value)) return value.map((item, i) => this.mark(this.expandRequests(item, [...raw, i], [...out, i], step), [...raw, i], [...out, i]));
    if (isObject(value)) {
      const copy: Obj = {};
      for (const [key, child] of Object.entries(value)) copy[key] = this.expandRequests(child, [...raw, key], [...out, key], step);
      return copy;
    }
    return value;
  }

  private mark<T>(value: T, raw: DocPath, out: DocPath): T {
    if (pathKey(raw) !== pathKey(out) && !this.origins.has(pathKey(out))) this.origins.set(pathKey(out), { kind: "intent", path: raw });
    return value;
  }

  /** Outcome rules, with each outcome-set use replaced by its rules (re-rooted with `on:`). */
  private expandOutcomes(list: unknown, raw: DocPath, out: DocPath, step: number): unknown[] {
    if (!Array.isArray(list)) return [];
    const rules: unknown[] = [];
    list.forEach((item, i) => {
      if (!isUse(item)) {
        this.mark(item, [...raw, i], [...out, rules.length]);
        this.origins.set(pathKey([...out, rules.length]), { kind: "intent", path: [...raw, i] });
        rules.push(item);
        return;
      }
      const fragment = this.library.outcomes.get(item.use);
      if (!fragment) {
        this.unknown("outcome set", item.use, this.library.outcomes.keys(), [...raw, i, "use"]);
        return;
      }
      const inputs = this.bindInputs(fragment, item, [...raw, i], step, true);
      const on = typeof item.on === "string" ? item.on : undefined;
      (fragment.body as LibraryRule[]).forEach((rule, r) => {
        rules.push(this.instantiate(rule, fragment, [...fragment.at.path, "rules", r], inputs, [...raw, i], [...out, rules.length], on));
      });
    });
    return rules;
  }

  private expandStep(step: Obj, index: number): Obj {
    const at: DocPath = ["steps", index];
    if (typeof step.use !== "string") {
      const expanded: Obj = { ...step };
      if (step.with !== undefined) expanded.with = this.expandRequests(step.with, [...at, "with"], [...at, "with"], index);
      if (step.outcomes !== undefined) expanded.outcomes = this.expandOutcomes(step.outcomes, [...at, "outcomes"], [...at, "outcomes"], index);
      return expanded;
    }
    const fragment = this.library.steps.get(step.use);
    if (!fragment) {
      this.unknown("step fragment", step.use, this.library.steps.keys(), [...at, "use"]);
      return { id: step.id, kind: "unknown:fragment" };
    }
    const inputs = this.bindInputs(fragment, step as { inputs?: Obj }, at, index, false);
    const body = fragment.body;
    const { use: _use, inputs: _inputs, outcomes: ownOutcomes, outputs: ownOutputs, ...rest } = step;
    const expanded: Obj = { ...rest, kind: body.kind };
    this.origins.set(pathKey([...at, "kind"]), { kind: "fragment", name: fragment.name, written: { source: fragment.at.source, path: [...fragment.at.path, "kind"] }, use: at, exact: true });
    if (body.with !== undefined) expanded.with = this.instantiate(body.with, fragment, [...fragment.at.path, "with"], inputs, at, [...at, "with"]);
    const outputs: Obj = {};
    for (const [name, text] of Object.entries(body.outputs ?? {})) outputs[name] = this.instantiate(text, fragment, [...fragment.at.path, "outputs", name], inputs, at, [...at, "outputs", name]);
    if (isObject(ownOutputs)) Object.assign(outputs, ownOutputs);
    if (Object.keys(outputs).length > 0) expanded.outputs = outputs;
    // The use site's own rules come first: they refine what the fragment decides.
    const rules = this.expandOutcomes(ownOutcomes, [...at, "outcomes"], [...at, "outcomes"], index);
    (body.outcomes ?? []).forEach((rule, r) => {
      rules.push(this.instantiate(rule, fragment, [...fragment.at.path, "outcomes", r], inputs, at, [...at, "outcomes", rules.length]));
    });
    if (rules.length > 0) expanded.outcomes = rules;
    if (body.idempotent !== undefined && step.idempotent === undefined) expanded.idempotent = body.idempotent;
    if (body.timeoutMs !== undefined && step.timeoutMs === undefined) expanded.timeoutMs = body.timeoutMs;
    return expanded;
  }

  expand(spec: Obj): unknown {
    const withData = new DataExpander(this.library, this.origins, (code, message, path) => this.problem(code, message, path)).expand(spec);
    if (!Array.isArray(spec.steps)) return withData;
    return { ...withData, steps: spec.steps.map((step, i) => (isObject(step) ? this.expandStep(step, i) : step)) };
  }
}

export function expandFragments(spec: unknown, library: Library): Expansion {
  const expander = new Expander(library);
  const expanded = isObject(spec) ? expander.expand(spec) : spec;
  return { spec: expanded, origins: expander.origins, problems: expander.problems, inputs: expander.inputs, unresolved: expander.unresolved };
}
