/**
 * Tokens of one expression (the text between `{{` and `}}`), each with its offset in the template.
 * Words are identifiers; `and`, `or`, `not` and `in` are keywords only where an operator may stand,
 * which the parser decides.
 */

export type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "punct"; text: "(" | ")" | "|" | "." | "==" | "!=" | "<" | "<=" | ">" | ">="; at: number }
  /** `[name]` after a dot: a path segment any text may fill (`value.[0]`, `.[@odata.type]`). */
  | { kind: "segment"; text: string; at: number }
  | { kind: "end"; at: number };

export class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WORD = /[A-Za-z_@$][A-Za-z0-9_@$-]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const SEGMENT_NUMBER = /[0-9]+/y;
const TWO_CHAR = new Set(["==", "!=", "<=", ">="]);

/** Splits `text` (which starts at `offset` in the template) into tokens. */
export function tokenize(text: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    const at = offset + i;
    const pair = text.slice(i, i + 2);
    if (TWO_CHAR.has(pair)) {
      tokens.push({ kind: "punct", text: pair as "==", at });
      i += 2;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === "|" || ch === "." || ch === "<" || ch === ">") {
      tokens.push({ kind: "punct", text: ch, at });
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { value, next } = readString(text, i, offset);
      tokens.push({ kind: "string", value, at });
      i = next;
      continue;
    }
    if (ch === "[") {
      const close = text.indexOf("]", i + 1);
      if (close < 0) throw new ParseError("a [ segment is not closed with ]", at);
      tokens.push({ kind: "segment", text: text.slice(i + 1, close), at });
      i = close + 1;
      continue;
    }
    // After a dot a number is a path segment (`value.0`), never a decimal.
    const afterDot = tokens[tokens.length - 1]?.kind === "punct" && (tokens[tokens.length - 1] as { text: string }).text === ".";
    const numberPattern = afterDot ? SEGMENT_NUMBER : NUMBER;
    numberPattern.lastIndex = i;
    const number = numberPattern.exec(text);
    // A minus sign is only ever part of a number: there is no arithmetic.
    if (number && (ch === "-" || /[0-9]/.test(ch)) && !/[A-Za-z_]/.test(text[i + number[0].length] ?? "")) {
      tokens.push({ kind: "number", value: Number(number[0]), at });
      i += number[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: "word", text: word[0], at });
      i += word[0].length;
      continue;
    }
    throw new ParseError(`unexpected character "${ch}"`, at);
  }
  tokens.push({ kind: "end", at: offset + text.length });
  return tokens;
}

/** A quoted string; a backslash keeps the next character as it is (`'it\'s'`). */
function readString(text: string, start: number, offset: number): { value: string; next: number } {
  const quote = text[start];
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      value += text[++i];
    } else if (ch === quote) {
      return { value, next: i + 1 };
    } else {
      value += ch;
    }
  }
  throw new ParseError(`the string starting here is not closed with ${quote}`, offset + start);
}
