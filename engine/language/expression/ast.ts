/**
 * The tree of a template and of the expressions inside it. One parse produces it; the linter walks
 * it (references, helpers, nesting, literals compared with fields) and the compiler turns it into
 * closures. Every node knows where it starts in the template text (`at`, a character offset).
 */

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";
export type LogicalOperator = "and" | "or";

export type Expr =
  | { readonly t: "literal"; readonly value: string | number | boolean | null; readonly at: number }
  /** A data path such as `steps.lookup.output.userId`; `parts[0]` is its root. */
  | { readonly t: "path"; readonly parts: readonly string[]; readonly at: number }
  /**
   * A helper call. `piped` is true when the first argument arrived through `|`, so the call is a
   * stage of a pipeline rather than a nested call.
   */
  | { readonly t: "call"; readonly name: string; readonly args: readonly Expr[]; readonly piped: boolean; readonly at: number }
  | { readonly t: "compare"; readonly op: ComparisonOperator; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly t: "logic"; readonly op: LogicalOperator; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly t: "not"; readonly operand: Expr; readonly at: number };

export type Piece =
  | { readonly t: "text"; readonly text: string }
  | { readonly t: "value"; readonly expr: Expr; readonly at: number }
  /** `{{#if}}` / `{{#unless}}` (an unless is an if whose branches are swapped at parse time). */
  | { readonly t: "if"; readonly branches: ReadonlyArray<{ readonly test: Expr; readonly body: readonly Piece[] }>; readonly otherwise: readonly Piece[]; readonly at: number };

export interface TemplateTree {
  readonly source: string;
  readonly pieces: readonly Piece[];
  /** The whole text is one `{{…}}`: rendering keeps the value's type. */
  readonly lone: boolean;
}

/** Every expression in a template, blocks' tests included, in source order. */
export function expressionsOf(pieces: readonly Piece[]): Expr[] {
  const out: Expr[] = [];
  const visit = (list: readonly Piece[]): void => {
    for (const piece of list) {
      if (piece.t === "value") out.push(piece.expr);
      else if (piece.t === "if") {
        for (const branch of piece.branches) {
          out.push(branch.test);
          visit(branch.body);
        }
        visit(piece.otherwise);
      }
    }
  };
  visit(pieces);
  return out;
}

/** Calls each node of the expression, parents before children. */
export function walkExpr(expr: Expr, visit: (node: Expr, parent: Expr | undefined) => void, parent?: Expr): void {
  visit(expr, parent);
  switch (expr.t) {
    case "call":
      for (const arg of expr.args) walkExpr(arg, visit, expr);
      break;
    case "compare":
    case "logic":
      walkExpr(expr.left, visit, expr);
      walkExpr(expr.right, visit, expr);
      break;
    case "not":
      walkExpr(expr.operand, visit, expr);
      break;
    default:
      break;
  }
}
