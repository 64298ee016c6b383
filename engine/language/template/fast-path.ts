/**
 * Renders the commonest templates without Handlebars' runtime: text with `{{a.b}}` and
 * `{{helper arg …}}` interpolations, or one lone expression. Results and errors are those of the
 * code Handlebars generates for them with our options (strict, no escaping, no prototype access);
 * a property test holds the two to the same answers. Blocks and hash arguments go to Handlebars.
 */
import { findHelper, HELPER_NAMES } from "./helpers";

/** A helper argument: a path read, a literal, or a nested helper call. */
type Argument = { path: readonly string[] } | { literal: unknown } | Call;
interface Call {
  helper: (...args: unknown[]) => unknown;
  args: readonly Argument[];
}
type Piece = { text: string } | { path: readonly string[]; at: string } | { call: Call };

function plainPath(node: hbs.AST.Expression): readonly string[] | undefined {
  if (node.type !== "PathExpression") return undefined;
  const path = node as hbs.AST.PathExpression;
  if (path.data || path.depth > 0 || path.parts.length === 0 || /^this\b|^\.\.?\//.test(path.original)) return undefined;
  return [...path.parts];
}

function argument(node: hbs.AST.Expression): Argument | undefined {
  switch (node.type) {
    case "StringLiteral":
    case "NumberLiteral":
    case "BooleanLiteral":
      return { literal: (node as hbs.AST.StringLiteral).value };
    case "NullLiteral":
      return { literal: null };
    case "UndefinedLiteral":
      return { literal: undefined };
    case "SubExpression":
      return call(node as hbs.AST.SubExpression);
    default: {
      const path = plainPath(node);
      return path && { path };
    }
  }
}

function call(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression): Call | undefined {
  const helper = node.path.type === "PathExpression" && node.hash === undefined ? findHelper((node.path as hbs.AST.PathExpression).original) : undefined;
  if (!helper) return undefined;
  const args: Argument[] = [];
  for (const param of node.params) {
    const parsed = argument(param);
    if (!parsed) return undefined;
    args.push(parsed);
  }
  return { helper, args };
}

/** The pieces of a template made only of text, path and helper interpolations, else undefined. */
export function plainPieces(program: hbs.AST.Program): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const statement of program.body) {
    if (statement.type === "ContentStatement") {
      pieces.push({ text: (statement as hbs.AST.ContentStatement).value });
      continue;
    }
    if (statement.type !== "MustacheStatement") return undefined;
    const mustache = statement as hbs.AST.MustacheStatement;
    const name = mustache.path.type === "PathExpression" ? (mustache.path as hbs.AST.PathExpression).original : "";
    if (mustache.params.length > 0 || HELPER_NAMES.has(name)) {
      const helperCall = call(mustache);
      if (!helperCall) return undefined;
      pieces.push({ call: helperCall });
      continue;
    }
    const path = mustache.hash === undefined ? plainPath(mustache.path) : undefined;
    if (!path) return undefined;
    const start = mustache.path.loc?.start;
    pieces.push({ path, at: start ? ` - ${start.line}:${start.column}` : "" });
  }
  return pieces;
}

/** A helper call as Handlebars makes it: arguments read left to right, then the helper. */
export function invoke(helperCall: Call, scope: object): unknown {
  const values = helperCall.args.map((arg) => ("path" in arg ? readPath(scope, arg.path) : "literal" in arg ? arg.literal : invoke(arg, scope)));
  return helperCall.helper(...values);
}

/** Handlebars' lookupProperty with prototype access off: own properties only, never a prototype's constructor. */
function ownProperty(parent: unknown, name: string): unknown {
  const result = (parent as Record<string, unknown>)[name];
  if (result === null || result === undefined) return result;
  const isPrototypeConstructor = name === "constructor" && typeof result === "function" && parent === (result as { prototype?: unknown }).prototype;
  return Object.prototype.hasOwnProperty.call(parent, name) && !isPrototypeConstructor ? result : undefined;
}

/** A path read as a helper argument reads it (how a lone template's value is taken): a missing last part is undefined. */
export function readPath(scope: object, path: readonly string[]): unknown {
  let value: unknown = scope;
  for (const name of path) value = ownProperty(value, name);
  return value;
}

/** A path interpolated into text: strict mode requires its last part to exist. */
function readStrict(scope: object, piece: { path: readonly string[]; at: string }): unknown {
  let parent: unknown = scope;
  const last = piece.path.length - 1;
  for (let i = 0; i < last; i++) parent = ownProperty(parent, piece.path[i] as string);
  const name = piece.path[last] as string;
  // Concatenated, not interpolated, so the value converts exactly as in Handlebars' own message.
  if (!parent || !(name in (parent as object))) throw new Error('"' + name + '" not defined in ' + (parent as string) + piece.at);
  return ownProperty(parent, name);
}

/**
 * Handlebars joins the pieces in one `a + b + c` expression, so each value is read before the text
 * so far is joined with it, and an empty text adds nothing: the same order gives the same errors.
 */
export function renderPieces(pieces: readonly Piece[], scope: object): string {
  let out: unknown;
  let started = false;
  for (const piece of pieces) {
    let next: unknown;
    if ("text" in piece) {
      if (piece.text === "") continue;
      next = piece.text;
    } else {
      const value = "call" in piece ? invoke(piece.call, scope) : readStrict(scope, piece);
      next = value === null || value === undefined ? "" : value;
    }
    out = started ? (out as string) + (next as string) : next;
    started = true;
  }
  return "" + (started ? (out as string) : "");
}
