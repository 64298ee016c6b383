/**
 * Turns a parsed template into closures, once; rendering then only calls them. Paths read own
 * properties only (never a prototype), a path that leads nowhere reads as null (in text it is an
 * error, so a message never silently loses a word), and every helper is from the closed set.
 */
import { placeholder, placeholderName } from "../../core/placeholder";
import type { Expr, Piece, TemplateTree } from "./ast";
import { findHelper, truthy } from "./helpers";

/** `it` is the item a predicate is testing; outside predicates it is unused. */
type Compiled = (scope: object, it: unknown) => unknown;

/** Named predicates by name: their expressions, tested on one item each. */
export type PredicateTable = ReadonlyMap<string, Expr>;

export class RenderError extends Error {}

/** Handlebars-compatible own-property read: never a prototype's property, never a prototype's constructor. */
function ownProperty(parent: unknown, name: string): unknown {
  if (parent === null || parent === undefined) return undefined;
  const result = (parent as Record<string, unknown>)[name];
  if (result === null || result === undefined) return result;
  const isPrototypeConstructor = name === "constructor" && typeof result === "function" && parent === (result as { prototype?: unknown }).prototype;
  return Object.prototype.hasOwnProperty.call(parent, name) && !isPrototypeConstructor ? result : undefined;
}

export function readPath(value: unknown, parts: readonly string[], from = 0): unknown {
  let current = value;
  for (let i = from; i < parts.length; i++) current = ownProperty(current, parts[i]!);
  return current;
}

interface Context {
  predicates: PredicateTable;
  /** True inside a predicate argument: `item` is the item under test, and predicate names test it. */
  inPredicate: boolean;
  /** Named predicates being expanded, to stop a predicate that names itself. */
  expanding: ReadonlySet<string>;
}

function compileExpr(expr: Expr, ctx: Context): Compiled {
  switch (expr.t) {
    case "literal": {
      const value = expr.value;
      return () => value;
    }
    case "path":
      return compilePath(expr.parts, ctx);
    case "not": {
      const operand = compileExpr(expr.operand, ctx);
      return (scope, it) => !truthy(operand(scope, it));
    }
    case "logic": {
      const left = compileExpr(expr.left, ctx);
      const right = compileExpr(expr.right, ctx);
      return expr.op === "and" ? (scope, it) => truthy(left(scope, it)) && truthy(right(scope, it)) : (scope, it) => truthy(left(scope, it)) || truthy(right(scope, it));
    }
    case "compare":
      return compileCompare(expr.op, compileExpr(expr.left, ctx), compileExpr(expr.right, ctx));
    case "call":
      return compileCall(expr, ctx);
  }
}

function compilePath(parts: readonly string[], ctx: Context): Compiled {
  const [root] = parts;
  if (ctx.inPredicate && parts.length === 1 && root !== "item" && ctx.predicates.has(root!)) {
    if (ctx.expanding.has(root!)) throw new RenderError(`the predicate "${root}" names itself`);
    const body = compileExpr(ctx.predicates.get(root!)!, { ...ctx, expanding: new Set([...ctx.expanding, root!]) });
    return (scope, it) => truthy(body(scope, it));
  }
  if (ctx.inPredicate && root === "item") return (_, it) => readPath(it, parts, 1);
  if (parts.length === 2) {
    const [first, second] = parts as [string, string];
    return (scope) => ownProperty(ownProperty(scope, first), second);
  }
  return (scope) => readPath(scope, parts);
}

function compileCompare(op: string, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case "==":
      return (s, it) => left(s, it) === right(s, it);
    case "!=":
      return (s, it) => left(s, it) !== right(s, it);
    case "in":
      return (s, it) => {
        const value = left(s, it);
        const values = right(s, it);
        return Array.isArray(values) && values.includes(value);
      };
    case "not in":
      return (s, it) => {
        const value = left(s, it);
        const values = right(s, it);
        return !(Array.isArray(values) && values.includes(value));
      };
    default: {
      // Numbers only, like lt and gt: a missing count never passes a check.
      const test = op === "<" ? (a: number, b: number) => a < b : op === "<=" ? (a: number, b: number) => a <= b : op === ">" ? (a: number, b: number) => a > b : (a: number, b: number) => a >= b;
      return (s, it) => {
        const a = left(s, it);
        const b = right(s, it);
        return typeof a === "number" && typeof b === "number" && test(a, b);
      };
    }
  }
}

/**
 * A list or text helper given a stand-in (an offline plan's `<steps.lookup.output.groups>`) answers
 * a stand-in named after it, so what a later step would send still shows what it is made of.
 */
function passingPlaceholders(name: string, fn: (...args: any[]) => unknown): (...args: any[]) => unknown {
  return (...args) => {
    for (const arg of args) {
      const stands = arg !== null && typeof arg === "object" ? placeholderName(arg) : undefined;
      if (stands !== undefined) return placeholder(`${name}(${stands})`);
    }
    return fn(...args);
  };
}

function compileCall(call: Extract<Expr, { t: "call" }>, ctx: Context): Compiled {
  const helper = findHelper(call.name);
  if (!helper) throw new RenderError(`unknown helper "${call.name}"`);
  const fn = helper.group === "list" || helper.group === "text" ? passingPlaceholders(helper.name, helper.fn) : helper.fn;
  const args = call.args.map((arg, i): Compiled => {
    const param = helper.params[Math.min(i, helper.params.length - 1)];
    if (param?.type !== "predicate") return compileExpr(arg, ctx);
    const test = compileExpr(arg, { ...ctx, inPredicate: true });
    return (scope) => (item: unknown) => truthy(test(scope, item));
  });
  switch (args.length) {
    case 0:
      return () => fn();
    case 1: {
      const [a] = args as [Compiled];
      return (s, it) => fn(a(s, it));
    }
    case 2: {
      const [a, b] = args as [Compiled, Compiled];
      return (s, it) => fn(a(s, it), b(s, it));
    }
    default:
      return (s, it) => fn(...args.map((arg) => arg(s, it)));
  }
}

/** A bare path written into text must lead somewhere: a missing word is an error, never silence. */
function compileStrictText(parts: readonly string[]): Compiled {
  const last = parts.length - 1;
  const shown = parts.join(".");
  return (scope) => {
    const parent = readPath(scope, parts.slice(0, last));
    const name = parts[last]!;
    if (parent === null || typeof parent !== "object" || !(name in parent)) throw new RenderError(`"${shown}" is not defined`);
    return ownProperty(parent, name);
  };
}

type Render = (scope: object) => string;

function textOf(value: unknown): string {
  return value === null || value === undefined ? "" : "" + (value as string);
}

function compilePieces(pieces: readonly Piece[], ctx: Context): Render {
  const parts = pieces.map((piece): Render => {
    switch (piece.t) {
      case "text": {
        const text = piece.text;
        return () => text;
      }
      case "value": {
        const expr = piece.expr;
        const value = expr.t === "path" ? compileStrictText(expr.parts) : compileExpr(expr, ctx);
        return (scope) => textOf(value(scope, undefined));
      }
      case "if": {
        const branches = piece.branches.map((b) => ({ test: compileExpr(b.test, ctx), body: compilePieces(b.body, ctx) }));
        const otherwise = compilePieces(piece.otherwise, ctx);
        return (scope) => {
          for (const branch of branches) if (truthy(branch.test(scope, undefined))) return branch.body(scope);
          return otherwise(scope);
        };
      }
    }
  });
  if (parts.length === 1) return parts[0]!;
  return (scope) => {
    let out = "";
    for (const part of parts) out += part(scope);
    return out;
  };
}

const NO_PREDICATES: PredicateTable = new Map();

/** A lone template's render keeps the value's type (undefined becomes null); any other renders text. */
export function compileTree(tree: TemplateTree, predicates: PredicateTable = NO_PREDICATES): (scope: object) => unknown {
  const ctx: Context = { predicates, inPredicate: false, expanding: new Set() };
  const [only] = tree.pieces;
  if (tree.lone && only?.t === "value") {
    const value = compileExpr(only.expr, ctx);
    return (scope) => {
      const out = value(scope, undefined);
      return out === undefined ? null : out;
    };
  }
  return compilePieces(tree.pieces, ctx);
}

/** One expression alone (a URL slot's values), evaluated with undefined read as null. */
export function compileExpression(expr: Expr, predicates: PredicateTable = NO_PREDICATES): (scope: object) => unknown {
  const value = compileExpr(expr, { predicates, inPredicate: false, expanding: new Set() });
  return (scope) => value(scope, undefined) ?? null;
}
