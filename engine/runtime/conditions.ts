/** `when` conditions: a template whose value decides whether a step (or an outcome rule) applies. */
import { compileExpression, parse, readPath, type Expr } from "../language/expression";
import { truthy } from "../language/template/helpers";
import type { Template } from "../language/template/compile";
import { placeholderName } from "../core/placeholder";

export function holds(condition: Template | undefined, scope: object): boolean {
  if (!condition) return true;
  const value = condition.render(scope);
  // A non-lone template renders to text; "false" and "" read as false like the lone forms do.
  if (typeof value === "string") return value.trim() !== "" && value.trim().toLowerCase() !== "false";
  return truthy(value);
}

function pathsOf(expr: Expr, out: Array<readonly string[]> = []): Array<readonly string[]> {
  switch (expr.t) {
    case "path":
      out.push(expr.parts);
      break;
    case "call":
      for (const arg of expr.args) pathsOf(arg, out);
      break;
    case "compare":
    case "logic":
      pathsOf(expr.left, out);
      pathsOf(expr.right, out);
      break;
    case "not":
      pathsOf(expr.operand, out);
      break;
  }
  return out;
}

/** The stand-ins (an offline plan's `<steps.lookup.output.id>`) an expression reads. */
function standInsOf(expr: Expr, scope: object): string[] {
  const names = new Set<string>();
  for (const parts of pathsOf(expr)) {
    const name = placeholderName(readPath(scope, parts));
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/** The parts of an `and` chain, leftmost first (the order they are evaluated in, stopping at a false one). */
export function conjuncts(expr: Expr): Expr[] {
  return expr.t === "logic" && expr.op === "and" ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** False only when the part surely is: it reads no stand-in and renders falsy. */
function surelyFalse(part: Expr, scope: object): boolean {
  if (standInsOf(part, scope).length > 0) return false;
  try {
    return !truthy(compileExpression(part)(scope));
  } catch {
    // A part that names a predicate (or fails to render) is left to the run to decide.
    return false;
  }
}

/**
 * In an offline plan, the stand-ins that leave a condition undecided: values only the tenant would
 * answer (`steps.lookup.output.enabled`). None when it reads none, or when a part of its `and`
 * that reads none is false already (`settings.EXCHANGE_MODE == 'runbook' and snapshot.x`).
 */
export function undecidedBy(condition: Template | undefined, scope: object): string[] {
  if (!condition || !condition.source.includes("{{")) return [];
  let tree;
  try {
    tree = parse(condition.source);
  } catch {
    return [];
  }
  const [only] = tree.pieces;
  const exprs = tree.pieces.flatMap((piece) => (piece.t === "value" ? [piece.expr] : piece.t === "if" ? piece.branches.map((b) => b.test) : []));
  const standIns = [...new Set(exprs.flatMap((expr) => standInsOf(expr, scope)))];
  if (standIns.length === 0) return [];
  if (tree.lone && only?.t === "value" && conjuncts(only.expr).some((part) => surelyFalse(part, scope))) return [];
  return standIns;
}
