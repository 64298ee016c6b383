/**
 * A fragment's templates with the use site's inputs put in: each `inputs.x` becomes the expression
 * the use passed, and with `on:` each `response` reads that request of a `$batch`.
 */
import { parse, ParseError, type Expr, type Piece } from "../expression";
import { printPieces } from "../expression/print";

/** The keys of a lone `{{constants.a.b}}`, or undefined for any other template. */
export function constantPath(text: string): string[] | undefined {
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

export function substituteText(text: string, inputs: Map<string, unknown>, known: ReadonlySet<string>, on: string | undefined, report: (name: string, why: string) => void): { text: string; changed: boolean } {
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
