/**
 * The one parser of the template language: text with `{{expression}}` values and
 * `{{#if}}…{{else if}}…{{else}}…{{/if}}` / `{{#unless}}…{{/unless}}` blocks. Its tree serves the
 * linter and the compiler alike. Grammar of an expression, loosest binding first:
 *
 *   expr  := or                   or   := and ('or' and)*        and := not ('and' not)*
 *   not   := 'not' not | compare  compare := pipe (op pipe)?     op  := == != < <= > >= in | not in
 *   pipe  := call ('|' helper arg*)*                              call := helper arg* | arg
 *   arg   := 'text' | number | true | false | null | path | '(' expr ')'
 */
import type { ComparisonOperator, Expr, Piece, TemplateTree } from "./ast";
import { HELPER_NAMES } from "./helpers";
import { ParseError, tokenize, type Token } from "./lexer";

export { ParseError } from "./lexer";

const KEYWORDS = new Set(["and", "or", "not", "in"]);
const LITERAL_WORDS: Record<string, boolean | null> = { true: true, false: false, null: null };
const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);

class ExpressionParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isWord(token: Token, text: string): boolean {
    return token.kind === "word" && token.text === text;
  }

  private isPunct(token: Token, text: string): boolean {
    return token.kind === "punct" && token.text === text;
  }

  parseWhole(): Expr {
    if (this.peek().kind === "end") throw new ParseError("an empty {{ }} has nothing to show; write an expression inside", this.peek().at);
    const expr = this.expr();
    const rest = this.peek();
    if (rest.kind !== "end") throw new ParseError(`unexpected ${describe(rest)}; expected an operator, | or }}`, rest.at);
    return expr;
  }

  private expr(): Expr {
    let left = this.and();
    while (this.isWord(this.peek(), "or")) {
      const at = this.next().at;
      left = { t: "logic", op: "or", left, right: this.and(), at };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord(this.peek(), "and")) {
      const at = this.next().at;
      left = { t: "logic", op: "and", left, right: this.not(), at };
    }
    return left;
  }

  private not(): Expr {
    const token = this.peek();
    if (this.isWord(token, "not") && !this.isWord(this.tokens[this.i + 1] ?? token, "in")) {
      this.next();
      return { t: "not", operand: this.not(), at: token.at };
    }
    return this.compare();
  }

  private compare(): Expr {
    const left = this.pipe();
    const token = this.peek();
    let op: ComparisonOperator | undefined;
    if (token.kind === "punct" && COMPARISONS.has(token.text)) op = token.text as ComparisonOperator;
    else if (this.isWord(token, "in")) op = "in";
    else if (this.isWord(token, "not") && this.isWord(this.tokens[this.i + 1] ?? token, "in")) op = "not in";
    if (!op) return left;
    this.next();
    if (op === "not in") this.next();
    const right = this.pipe();
    const after = this.peek();
    if ((after.kind === "punct" && COMPARISONS.has(after.text)) || this.isWord(after, "in")) {
      throw new ParseError("comparisons do not chain; join them with and / or", after.at);
    }
    return { t: "compare", op, left, right, at: token.at };
  }

  private pipe(): Expr {
    let value = this.call();
    while (this.isPunct(this.peek(), "|")) {
      this.next();
      const name = this.peek();
      if (name.kind !== "word" || KEYWORDS.has(name.text) || Object.hasOwn(LITERAL_WORDS, name.text)) {
        throw new ParseError(`after | comes a helper name (e.g. | length), not ${describe(name)}`, name.at);
      }
      this.next();
      value = { t: "call", name: name.text, args: [value, ...this.args()], piped: true, at: name.at };
    }
    return value;
  }

  /**
   * A word followed by arguments is a call (`lower fields.name`), and so is a helper's name alone
   * (`{{first}}`); whether the helper exists is the linter's question, not the grammar's. `and`,
   * `or` and `in` name helpers where an operand starts (`{{and a b}}`), operators elsewhere.
   */
  private call(): Expr {
    const token = this.peek();
    const after = this.tokens[this.i + 1] ?? token;
    if (token.kind === "word" && !Object.hasOwn(LITERAL_WORDS, token.text) && !this.isPunct(after, ".")) {
      const known = HELPER_NAMES.has(token.text);
      if (known || (!KEYWORDS.has(token.text) && this.startsArg(after))) {
        this.next();
        return { t: "call", name: token.text, args: this.args(), piped: false, at: token.at };
      }
    }
    return this.arg();
  }

  private startsArg(token: Token): boolean {
    if (token.kind === "string" || token.kind === "number") return true;
    if (token.kind === "punct") return token.text === "(";
    return token.kind === "word" && !KEYWORDS.has(token.text);
  }

  private args(): Expr[] {
    const args: Expr[] = [];
    while (this.startsArg(this.peek())) args.push(this.arg());
    return args;
  }

  private arg(): Expr {
    const token = this.next();
    switch (token.kind) {
      case "string":
      case "number":
        return { t: "literal", value: token.value, at: token.at };
      case "punct":
        if (token.text === "(") {
          const inner = this.expr();
          const close = this.next();
          if (!this.isPunct(close, ")")) throw new ParseError(`expected ) to close the ( at this expression's start, found ${describe(close)}`, close.at);
          return inner;
        }
        break;
      case "word":
        if (Object.hasOwn(LITERAL_WORDS, token.text)) return { t: "literal", value: LITERAL_WORDS[token.text]!, at: token.at };
        if (!KEYWORDS.has(token.text)) return this.path(token.text, token.at);
        break;
      default:
        break;
    }
    throw new ParseError(`expected a value (a path, 'text', a number or a (call)), found ${describe(token)}`, token.at);
  }

  private path(root: string, at: number): Expr {
    const parts = [root];
    while (this.isPunct(this.peek(), ".")) {
      this.next();
      const segment = this.next();
      if (segment.kind === "word") parts.push(segment.text);
      else if (segment.kind === "number") parts.push(String(segment.value));
      else if (segment.kind === "segment") parts.push(segment.text);
      else throw new ParseError(`expected a name after the dot, found ${describe(segment)}`, segment.at);
    }
    return { t: "path", parts, at };
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the expression";
    case "word":
      return `"${token.text}"`;
    case "string":
      return `the text '${token.value}'`;
    case "number":
      return `the number ${token.value}`;
    case "segment":
      return `[${token.text}]`;
    case "punct":
      return `"${token.text}"`;
  }
}

/** Parses one expression (the inside of `{{…}}`) whose text starts at `offset` of the template. */
export function parseExpression(text: string, offset = 0): Expr {
  return new ExpressionParser(tokenize(text, offset)).parseWhole();
}

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
