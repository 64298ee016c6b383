/**
 * Writes a tree back as template text, with only the parentheses the grammar needs. Fragments are
 * expanded by replacing `inputs.x` nodes with the use site's expressions and printing the result,
 * so an expanded step is ordinary template text again (parse(print(t)) gives t back).
 */
import type { Expr, Piece } from "./ast";

const WORD = /^[A-Za-z_@$][A-Za-z0-9_@$-]*$/;
const RESERVED = new Set(["and", "or", "not", "in", "true", "false", "null"]);
const KEYWORD_HELPERS = new Set(["and", "or", "in"]);

// Binding strength, loosest first: or, and, not, compare, pipe, call, value.
function level(expr: Expr): number {
  switch (expr.t) {
    case "logic":
      return expr.op === "or" ? 1 : 2;
    case "not":
      return 3;
    case "compare":
      return 4;
    case "call":
      // A call of `and`, `or` or `in` reads as its operator anywhere but at the very start.
      return KEYWORD_HELPERS.has(expr.name) && !expr.piped ? 0 : expr.piped ? 5 : 6;
    default:
      return 7;
  }
}

function wrap(expr: Expr, atLeast: number): string {
  const text = printExpr(expr);
  return level(expr) >= atLeast ? text : `(${text})`;
}

function literal(value: string | number | boolean | null): string {
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return String(value);
}

function segment(part: string, first: boolean): string {
  if (first) return part;
  if (/^[0-9]+$/.test(part) || (WORD.test(part) && !RESERVED.has(part))) return part;
  return `[${part}]`;
}

export function printExpr(expr: Expr): string {
  switch (expr.t) {
    case "literal":
      return literal(expr.value);
    case "path":
      return expr.parts.map((part, i) => segment(part, i === 0)).join(".");
    case "not":
      return `not ${wrap(expr.operand, 3)}`;
    case "logic":
      return `${wrap(expr.left, level(expr))} ${expr.op} ${wrap(expr.right, level(expr) + 1)}`;
    case "compare":
      return `${wrap(expr.left, 5)} ${expr.op} ${wrap(expr.right, 5)}`;
    case "call": {
      // An argument is a single value: anything looser (even a call with arguments) is parenthesized.
      if (expr.piped) {
        const [input, ...rest] = expr.args;
        return [`${wrap(input!, 5)} | ${expr.name}`, ...rest.map((arg) => wrap(arg, 7))].join(" ");
      }
      return [expr.name, ...expr.args.map((arg) => wrap(arg, 7))].join(" ");
    }
  }
}

export function printPieces(pieces: readonly Piece[]): string {
  return pieces
    .map((piece) => {
      switch (piece.t) {
        case "text":
          return piece.text.replace(/\{\{/g, "\\{{");
        case "value":
          return `{{${printExpr(piece.expr)}}}`;
        case "if": {
          const [first, ...more] = piece.branches;
          let out = `{{#if ${printExpr(first!.test)}}}${printPieces(first!.body)}`;
          for (const branch of more) out += `{{else if ${printExpr(branch.test)}}}${printPieces(branch.body)}`;
          if (piece.otherwise.length > 0) out += `{{else}}${printPieces(piece.otherwise)}`;
          return `${out}{{/if}}`;
        }
      }
    })
    .join("");
}
