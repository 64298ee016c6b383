/**
 * Renders the commonest templates without Handlebars' runtime: a lone `{{a.b.c}}` and text with
 * plain `{{a.b}}` interpolations. Results and errors are those of the code Handlebars generates
 * for them with our options (strict, no escaping, no prototype access); a property test holds
 * the two to the same answers. Anything else (helpers, blocks) goes to Handlebars.
 */
import { HELPER_NAMES } from "./helpers";

type Piece = { text: string } | { path: readonly string[]; at: string };

/** The pieces of a template made only of text and plain path interpolations, else undefined. */
export function plainPieces(program: hbs.AST.Program): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const statement of program.body) {
    if (statement.type === "ContentStatement") {
      pieces.push({ text: (statement as hbs.AST.ContentStatement).value });
      continue;
    }
    if (statement.type !== "MustacheStatement") return undefined;
    const mustache = statement as hbs.AST.MustacheStatement;
    if (mustache.params.length > 0 || mustache.hash !== undefined || mustache.path.type !== "PathExpression") return undefined;
    const path = mustache.path as hbs.AST.PathExpression;
    if (path.data || path.depth > 0 || path.parts.length === 0 || HELPER_NAMES.has(path.original) || /^this\b|^\.\.?\//.test(path.original)) return undefined;
    const start = path.loc?.start;
    pieces.push({ path: [...path.parts], at: start ? ` - ${start.line}:${start.column}` : "" });
  }
  return pieces;
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
      const value = readStrict(scope, piece);
      next = value === null || value === undefined ? "" : value;
    }
    out = started ? (out as string) + (next as string) : next;
    started = true;
  }
  return "" + (started ? (out as string) : "");
}
