/**
 * The parser of one expression, the inside of `{{…}}` (parse.ts finds them in a template). Grammar,
 * loosest binding first:
 *
 *   expr  := or                   or   := and ('or' and)*        and := not ('and' not)*
 *   not   := 'not' not | compare  compare := pipe (op pipe)?     op  := == != < <= > >= in | not in
 *   pipe  := call ('|' helper arg*)*                              call := helper arg* | arg
 *   arg   := 'text' | number | true | false | null | path | '(' expr ')'
 */
import type { ComparisonOperator, Expr } from "./ast";
import { HELPER_NAMES } from "./helpers";
import { ParseError, tokenize, type Token } from "./lexer";

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
