/**
 * Resolves an intent's fragment uses at compile time: `use:` steps, `{ use: … }` requests and
 * outcome-set uses become ordinary steps, requests and rules, with each `inputs.x` replaced by the
 * expression the use site passed. Problems of a use are reported at the use site; everything the
 * expanded intent is checked for afterwards is located through `origins` (at the use site, naming
 * the fragment's own line).
 */
import type { ErrorCode } from "../../core/errors";
import type { DocPath, SourceFile } from "./source";
import { suggestName } from "../../contracts/graph-metadata/suggest";
import { parse, ParseError, type Expr, type Piece } from "../expression";
import { printPieces } from "../expression/print";
import type { Fragment, FragmentInput, Library, LibraryRule, Written } from "./library";

/** Where an expanded node was written. */
export type Origin =
  /** In the intent, at another path (items moved by an expansion). */
  | { kind: "intent"; path: DocPath }
  /** A value the use site passed as an input, used as it is. */
  | { kind: "input"; path: DocPath }
  /** In a library; `exact` when the text is the library's own (offsets hold). */
  | { kind: "fragment"; name: string; written: Written; use: DocPath; exact: boolean };

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

const PATH_KEY = "\u0000";
export const pathKey = (path: DocPath): string => path.join(PATH_KEY);

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isUse(value: unknown): value is { use: string; inputs?: Obj; on?: string } {
  return isObject(value) && typeof value.use === "string";
}

/** Every origin lookup finds the deepest recorded prefix; the rest of the path is appended. */
export function resolveOrigin(origins: ReadonlyMap<string, Origin>, path: DocPath): { origin?: Origin; rest: DocPath } {
  for (let length = path.length; length >= 0; length--) {
    const origin = origins.get(pathKey(path.slice(0, length)));
    if (origin) return { origin, rest: path.slice(length) };
  }
  return { rest: path };
}

class Expander {
  readonly origins = new Map<string, Origin>();
  readonly problems: Expansion["problems"] = [];
  readonly inputs: Expansion["inputs"] = [];
  readonly unresolved = new Set<number>();
  /** Constants whose library use failed: what reads them is not reported again. */
  private readonly missingConstants = new Set<string>();

  constructor(
    private readonly library: Library,
    private readonly source: SourceFile,
  ) {}

  private problem(code: ErrorCode, message: string, path: DocPath, key = false): void {
    this.problems.push({ code, message, path, ...(key ? { key } : {}) });
  }

  private unknown(kind: string, name: string, known: Iterable<string>, path: DocPath): void {
    const names = [...known];
    const suggestion = suggestName(name, names);
    const hint = suggestion ? `; did you mean ${suggestion}?` : names.length > 0 ? `; known: ${names.sort().join(", ")}` : "; no library in reach defines one (libraries live in shared/ beside the intents)";
    this.problem("SPEC_UNKNOWN_FRAGMENT", `no ${kind} is named "${name}"${hint}`, path);
  }

  /** Checks the use's inputs against the fragment's and returns them by name (missing ones as null). */
  private bindInputs(fragment: Fragment<unknown>, use: { inputs?: Obj }, at: DocPath, step: number, response: boolean): Map<string, unknown> {
    const given = isObject(use.inputs) ? use.inputs : {};
    const bound = new Map<string, unknown>();
    for (const [name, value] of Object.entries(given)) {
      const declared = fragment.inputs[name];
      if (!declared) {
        const known = Object.keys(fragment.inputs);
        const suggestion = suggestName(name, known);
        this.problem("SPEC_FRAGMENT_INPUT", `"${fragment.name}" has no input "${name}"${suggestion ? `; did you mean ${suggestion}?` : `; its inputs: ${known.join(", ") || "none"}`}`, [...at, "inputs", name], true);
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

  /** `constants: { NAME: { use: DATA } }` takes a library's named data as one of the intent's constants. */
  private expandConstants(written: unknown): unknown {
    if (!isObject(written)) return written;
    const resolved: Obj = {};
    for (const [key, value] of Object.entries(written)) {
      if (!isDataUse(value)) {
        resolved[key] = value;
        continue;
      }
      const constant = this.library.constants.get(value.use);
      if (!constant) {
        this.unknown("library constant", value.use, this.library.constants.keys(), ["constants", key, "use"]);
        this.missingConstants.add(key);
        resolved[key] = null;
        continue;
      }
      this.origins.set(pathKey(["constants", key]), { kind: "fragment", name: constant.name, written: constant.at, use: ["constants", key], exact: true });
      resolved[key] = constant.value;
    }
    return resolved;
  }

  /**
   * A field default written as one `{{constants.NAME.key…}}` is that value, read once at load: an
   * MSP's default choices kept as data (a library beside the intents) are the defaults Thread's
   * form shows and a missing field takes. Nothing else is evaluated at load.
   */
  private expandDefaults(fields: unknown, constants: unknown): unknown {
    if (!isObject(fields)) return fields;
    const out: Obj = {};
    for (const [variable, field] of Object.entries(fields)) {
      if (!isObject(field) || typeof field.default !== "string" || !field.default.includes("{{")) {
        out[variable] = field;
        continue;
      }
      // A default that cannot be read is reported once and left out, so nothing checks it again.
      const { default: written, ...rest } = field;
      const value = this.constantDefault(written as string, ["fields", variable, "default"], constants);
      out[variable] = value === undefined ? rest : { ...rest, default: value };
    }
    return out;
  }

  private constantDefault(text: string, at: DocPath, constants: unknown): unknown {
    const parts = constantPath(text);
    if (!parts) {
      this.problem("SPEC_FIELD_DEFAULT", "a default is a value, or one {{constants.NAME.key}} (read once when the intent loads); it cannot read fields, settings or steps", at);
      return undefined;
    }
    if (this.missingConstants.has(parts[0]!)) return undefined;
    let value: unknown = constants;
    for (const part of parts) {
      if (!isObject(value) || !Object.hasOwn(value, part)) {
        this.problem("SPEC_UNKNOWN_REFERENCE", `"constants.${parts.join(".")}" does not exist${isObject(value) ? `; there: ${Object.keys(value).join(", ") || "nothing"}` : ""}`, at);
        return undefined;
      }
      value = value[part];
    }
    const origin = this.origins.get(pathKey(["constants", parts[0]!]));
    if (origin?.kind === "fragment") this.origins.set(pathKey(at), { ...origin, written: { source: origin.written.source, path: [...origin.written.path, ...parts.slice(1)] }, use: at });
    return value;
  }

  expand(spec: Obj): unknown {
    const withData: Obj = { ...spec };
    if (spec.constants !== undefined) withData.constants = this.expandConstants(spec.constants);
    if (spec.fields !== undefined) withData.fields = this.expandDefaults(spec.fields, withData.constants);
    if (!Array.isArray(spec.steps)) return withData;
    return { ...withData, steps: spec.steps.map((step, i) => (isObject(step) ? this.expandStep(step, i) : step)) };
  }
}

/** `{ use: NAME }` and nothing else: a constant taken from a library, not data that has a `use` key. */
function isDataUse(value: unknown): value is { use: string } {
  return isObject(value) && typeof value.use === "string" && Object.keys(value).length === 1;
}

/** The keys of a lone `{{constants.a.b}}`, or undefined for any other template. */
function constantPath(text: string): string[] | undefined {
  try {
    const tree = parse(text);
    const [only] = tree.pieces;
    if (!tree.lone || only?.t !== "value" || only.expr.t !== "path") return undefined;
    const [root, ...rest] = only.expr.parts;
    return root === "constants" && rest.length > 0 ? rest : undefined;
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    return undefined;
  }
}

/** What is wrong with an input value for its declared type, or undefined. */
function typeProblem(declared: FragmentInput, value: unknown): string | undefined {
  if (typeof value === "string" && value.includes("{{")) {
    const lone = /^\{\{[\s\S]*\}\}$/.test(value.trim());
    return declared.type === "string" || lone ? undefined : `is declared ${declared.type}: pass one {{expression}} or a ${declared.type} value`;
  }
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const fits =
    declared.type === "integer" ? Number.isInteger(value) : declared.type === "number" ? actual === "number" : declared.type === "object" ? actual === "object" : actual === declared.type;
  return fits ? undefined : `is declared ${declared.type}, but ${JSON.stringify(value)} is ${actual === "number" && declared.type === "integer" ? "not a whole number" : `a${/^[aeiou]/.test(actual) ? "n" : ""} ${actual}`}`;
}

/** The expression an input value stands for inside another template. */
function inputExpression(value: unknown, report: (why: string) => void): Expr {
  if (value === undefined || value === null) return { t: "literal", value: null, at: 0 };
  if (typeof value === "number" || typeof value === "boolean") return { t: "literal", value, at: 0 };
  if (typeof value === "string") {
    if (!value.includes("{{")) return { t: "literal", value, at: 0 };
    try {
      const tree = parse(value);
      const [only] = tree.pieces;
      if (tree.lone && only?.t === "value") return only.expr;
    } catch (thrown) {
      if (!(thrown instanceof ParseError)) throw thrown;
      return { t: "literal", value: null, at: 0 };
    }
    report("is used inside one of the fragment's templates, so it must be plain text or one {{expression}}, not text with {{…}} inside");
    return { t: "literal", value: null, at: 0 };
  }
  report("is a list or object, which the fragment uses inside a template: pass it as one {{expression}}");
  return { t: "literal", value: null, at: 0 };
}

/** `inputs.x.rest` → the input's expression (a path gets the rest appended; anything else is looked up). */
function withRest(expr: Expr, rest: readonly string[]): Expr {
  if (rest.length === 0) return expr;
  if (expr.t === "path") return { ...expr, parts: [...expr.parts, ...rest] };
  return rest.reduce<Expr>((inner, key) => ({ t: "call", name: "lookup", args: [inner, { t: "literal", value: key, at: 0 }], piped: false, at: 0 }), expr);
}

function mapExpr(expr: Expr, visit: (path: Extract<Expr, { t: "path" }>) => Expr): Expr {
  switch (expr.t) {
    case "path":
      return visit(expr);
    case "call":
      return { ...expr, args: expr.args.map((arg) => mapExpr(arg, visit)) };
    case "compare":
    case "logic":
      return { ...expr, left: mapExpr(expr.left, visit), right: mapExpr(expr.right, visit) };
    case "not":
      return { ...expr, operand: mapExpr(expr.operand, visit) };
    default:
      return expr;
  }
}

function mapPieces(pieces: readonly Piece[], visit: (path: Extract<Expr, { t: "path" }>) => Expr): Piece[] {
  return pieces.map((piece): Piece => {
    if (piece.t === "value") return { ...piece, expr: mapExpr(piece.expr, visit) };
    if (piece.t === "if") {
      return { ...piece, branches: piece.branches.map((b) => ({ test: mapExpr(b.test, visit), body: mapPieces(b.body, visit) })), otherwise: mapPieces(piece.otherwise, visit) };
    }
    return piece;
  });
}

function substituteText(text: string, inputs: Map<string, unknown>, known: ReadonlySet<string>, on: string | undefined, report: (name: string, why: string) => void): { text: string; changed: boolean } {
  let tree;
  try {
    tree = parse(text);
  } catch {
    // The library's own check reports it; the intent keeps the text as it is.
    return { text, changed: false };
  }
  let changed = false;
  const pieces = mapPieces(tree.pieces, (path) => {
    const [root, name, ...rest] = path.parts;
    if (root === "inputs" && name !== undefined && known.has(name)) {
      changed = true;
      return withRest(inputExpression(inputs.get(name), (why) => report(name, why)), rest);
    }
    if (root === "response" && on !== undefined) {
      changed = true;
      return { ...path, parts: ["response", on, ...path.parts.slice(1)] };
    }
    return path;
  });
  return { text: changed ? printPieces(pieces) : text, changed };
}

export function expandFragments(spec: unknown, library: Library, source: SourceFile): Expansion {
  const expander = new Expander(library, source);
  const expanded = isObject(spec) ? expander.expand(spec) : spec;
  return { spec: expanded, origins: expander.origins, problems: expander.problems, inputs: expander.inputs, unresolved: expander.unresolved };
}
