/**
 * The one parser of the template language: text with `{{expression}}` values and
 * `{{#if}}…{{else if}}…{{else}}…{{/if}}` / `{{#unless}}…{{/unless}}` blocks. Its tree serves the
 * linter and the compiler alike; each expression is read by parse-expression.ts.
 */
import type { Expr, Piece, TemplateTree } from "./ast";
import { ParseError } from "./lexer";
import { parseExpression } from "./parse-expression";

export { ParseError } from "./lexer";

interface Mustache {
  /** Offset of `{{`. */
  at: number;
  /** The text between the braces (after `~` and block sigils), and where it starts. */
  inner: string;
  innerAt: number;
  /** Offset just past `}}`. */
  end: number;
  stripBefore: boolean;
  stripAfter: boolean;
}

/** Finds the `}}` that closes the mustache opened at `open`, skipping quoted text. */
function readMustache(source: string, open: number): Mustache {
  let i = open + 2;
  const stripBefore = source[i] === "~";
  if (stripBefore) i++;
  const innerStart = i;
  let quote: string | undefined;
  for (; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === "}" && source[i + 1] === "}") {
      const stripAfter = source[i - 1] === "~" && i - 1 >= innerStart;
      const innerEnd = stripAfter ? i - 1 : i;
      return { at: open, inner: source.slice(innerStart, innerEnd), innerAt: innerStart, end: i + 2, stripBefore, stripAfter };
    }
  }
  throw new ParseError("{{ is not closed with }}", open);
}

type Frame = {
  kind: "if" | "unless";
  at: number;
  branches: Array<{ test: Expr; body: Piece[] }>;
  otherwise: Piece[] | undefined;
};

/** Parses a whole template. Throws ParseError (with the offset of the problem) when it does not parse. */
export function parseTemplate(source: string): TemplateTree {
  const root: Piece[] = [];
  const stack: Frame[] = [];
  const target = (): Piece[] => {
    const frame = stack[stack.length - 1];
    if (!frame) return root;
    return frame.otherwise ?? frame.branches[frame.branches.length - 1]!.body;
  };
  let text = "";
  let stripNext = false;
  const flushText = (stripEnd: boolean): void => {
    let out = stripNext ? text.replace(/^\s+/, "") : text;
    if (stripEnd) out = out.replace(/\s+$/, "");
    if (out !== "") target().push({ t: "text", text: out });
    text = "";
    stripNext = false;
  };
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      text += source.slice(i);
      break;
    }
    // `\{{` writes a literal `{{`.
    if (open > 0 && source[open - 1] === "\\") {
      text += source.slice(i, open - 1) + "{{";
      i = open + 2;
      continue;
    }
    text += source.slice(i, open);
    const m = readMustache(source, open);
    flushText(m.stripBefore);
    handleMustache(m, stack, target);
    stripNext = m.stripAfter;
    i = m.end;
  }
  flushText(false);
  const unclosed = stack[stack.length - 1];
  if (unclosed) throw new ParseError(`{{#${unclosed.kind}}} is not closed with {{/${unclosed.kind}}}`, unclosed.at);
  const only = root[0];
  const lone = root.length === 1 && only?.t === "value" && source.startsWith("{{") && source.endsWith("}}") && !source.startsWith("{{{");
  return { source, pieces: root, lone };
}

function handleMustache(m: Mustache, stack: Frame[], target: () => Piece[]): void {
  const trimmed = m.inner.trimStart();
  const lead = m.innerAt + (m.inner.length - trimmed.length);
  const sigil = trimmed[0];
  if (sigil === "{") throw new ParseError("{{{ }}} is not used: values are never HTML-escaped, write {{ }}", m.at);
  if (sigil === "!") throw new ParseError("comments are written as YAML comments (#), not {{! }}", m.at);
  if (sigil === ">") throw new ParseError("partials are not allowed; share steps and outcomes through fragments instead", m.at);
  if (sigil === "^" || sigil === "*") throw new ParseError(`{{${sigil}…}} is not allowed; use {{#if}} / {{#unless}}`, m.at);
  if (sigil === "#") {
    const word = /^#([A-Za-z]+)/.exec(trimmed)?.[1] ?? "";
    if (word !== "if" && word !== "unless") {
      throw new ParseError(`{{#${word}}} is not allowed; the only blocks are {{#if}} and {{#unless}} (lists are shaped with filter, pluck and join)`, lead);
    }
    const testAt = lead + 1 + word.length;
    const test = parseExpression(trimmed.slice(1 + word.length), testAt);
    const frame: Frame = { kind: word, at: m.at, branches: [{ test, body: [] }], otherwise: undefined };
    target().push({ t: "if", branches: frame.branches, otherwise: [], at: m.at });
    stack.push(frame);
    return;
  }
  if (sigil === "/") {
    const word = trimmed.slice(1).trim();
    const frame = stack.pop();
    if (!frame) throw new ParseError(`{{/${word}}} closes nothing`, m.at);
    if (word !== frame.kind) throw new ParseError(`{{/${word}}} does not match the open {{#${frame.kind}}}`, m.at);
    closeFrame(frame, target);
    return;
  }
  const elseMatch = /^else(?:\s+if\b(.*))?\s*$/s.exec(trimmed);
  if (elseMatch) {
    const frame = stack[stack.length - 1];
    if (!frame) throw new ParseError("{{else}} outside {{#if}} … {{/if}}", m.at);
    if (frame.otherwise) throw new ParseError("{{else}} after {{else}}: the last branch is already open", m.at);
    if (elseMatch[1] !== undefined) {
      if (frame.kind !== "if") throw new ParseError("{{else if}} belongs to {{#if}}, not {{#unless}}", m.at);
      const conditionAt = lead + trimmed.indexOf("if") + 2;
      frame.branches.push({ test: parseExpression(elseMatch[1], conditionAt), body: [] });
    } else {
      frame.otherwise = [];
    }
    return;
  }
  target().push({ t: "value", expr: parseExpression(m.inner, m.innerAt), at: m.at });
}

/** Writes the finished block into the piece its opening pushed (an unless swaps its branches). */
function closeFrame(frame: Frame, target: () => Piece[]): void {
  const pieces = target();
  const index = pieces.length - 1;
  const placeholder = pieces[index];
  if (!placeholder || placeholder.t !== "if") throw new ParseError("internal: a block lost its place", frame.at);
  const piece: Piece =
    frame.kind === "unless"
      ? { t: "if", branches: [{ test: { t: "not", operand: frame.branches[0]!.test, at: frame.at }, body: frame.branches[0]!.body }], otherwise: frame.otherwise ?? [], at: frame.at }
      : { t: "if", branches: frame.branches, otherwise: frame.otherwise ?? [], at: frame.at };
  pieces[index] = piece;
}
