/**
 * A URL slot: a template whose text is a URL with a fixed beginning (the origin and leading path,
 * e.g. `https://graph.microsoft.com/v1.0/`) and whose every interpolation is exactly one path
 * segment, percent-encoded. A value can never add a segment, climb out with `..`, start a query
 * or a fragment, or change the origin, whatever it holds.
 */
import { IntentError } from "../../core/errors";
import { isPlaceholderText, unwrapPlaceholder } from "../../core/placeholder";
import type { UrlSlot } from "../../core/step-kind";
import { compileExpression, parse, type Piece, type PredicateTable } from "../expression";
import type { Template } from "./compile";

export interface UrlSlotProblem {
  message: string;
  /** Where in the template text the problem starts. */
  offset: number;
}

/** A query, a fragment, or what a URL parser would rewrite: never part of the written text. */
const NOT_IN_URL = /[?#\s\\%]/;
const NOT_IN_URL_MESSAGE = "a URL here has no query, fragment, percent sign, backslash or space in its text";

function example(slot: UrlSlot): string {
  return `${slot.prefixes[0] ?? "https://…/"}directoryObjects/{{steps.lookup.output.userId}}`;
}

/** Text and values of the template, or undefined when it has a block. */
function plainPieces(source: string): Array<Exclude<Piece, { t: "if" }>> | undefined {
  const { pieces } = parse(source);
  return pieces.every((piece) => piece.t !== "if") ? (pieces as Array<Exclude<Piece, { t: "if" }>>) : undefined;
}

/** What is wrong with `source` as a URL slot; the linter reports these, the compiler refuses them. */
export function urlSlotProblems(source: string, slot: UrlSlot): UrlSlotProblem[] {
  const prefix = slot.prefixes.find((p) => source.startsWith(p));
  if (prefix === undefined) {
    return [{ message: `a URL here must start with ${slot.prefixes.join(" or ")}, written out, e.g. ${example(slot)}`, offset: 0 }];
  }
  if (!source.includes("{{")) {
    const bad = NOT_IN_URL.exec(source);
    return bad ? [{ message: NOT_IN_URL_MESSAGE, offset: bad.index }] : [];
  }
  let pieces;
  try {
    pieces = plainPieces(source);
  } catch {
    return []; // a template that does not parse is reported as SPEC_TEMPLATE_SYNTAX
  }
  if (!pieces) return [{ message: "a URL here takes plain {{…}} values only, no blocks", offset: source.indexOf("{{") }];
  const problems: UrlSlotProblem[] = [];
  let offset = 0;
  pieces.forEach((piece, i) => {
    if (piece.t === "text") {
      const bad = NOT_IN_URL.exec(piece.text);
      if (bad) problems.push({ message: NOT_IN_URL_MESSAGE, offset: offset + bad.index });
      offset += piece.text.length;
      return;
    }
    const before = pieces[i - 1];
    const after = pieces[i + 1];
    // A query or fragment after the value is its own problem, reported with the text that holds it.
    const whole = before?.t === "text" && before.text.endsWith("/") && (!after || (after.t === "text" && /^[/?#]/.test(after.text)));
    if (!whole) problems.push({ message: `each value in a URL must fill one whole path segment, between slashes, e.g. ${example(slot)}`, offset: piece.at });
    offset = source.indexOf("}}", piece.at) + 2;
  });
  return problems;
}

function segmentError(source: string, why: string): IntentError {
  return new IntentError("TEMPLATE_URL_SEGMENT", `A value for the URL "${source}" ${why}.`, {
    fix: "Check the value the URL names (an object id): it must be one non-empty path segment.",
  });
}

/** One value as one path segment; `.` and `..` are refused, since URL parsers resolve them even encoded. */
function segment(source: string, raw: unknown): string {
  const value = unwrapPlaceholder(raw);
  // An offline plan's stand-in for an id only a read would know, shown as it is.
  if (typeof value === "string" && isPlaceholderText(value)) return value;
  if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
    throw segmentError(source, value === null || value === undefined ? "is empty" : "is not text");
  }
  const text = String(value);
  if (text === "" || text === "." || text === "..") throw segmentError(source, "is empty or a dot segment");
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so it cannot be a path segment.
    throw segmentError(source, "is not valid Unicode text");
  }
}

/**
 * Compiles a URL slot; throws SPEC_URL_SLOT when `source` breaks the rules. Rendering checks the
 * result once more: a URL parser must read it back unchanged, under one of the slot's prefixes.
 */
export function compileUrlTemplate(source: string, slot: UrlSlot, predicates?: PredicateTable): Template {
  const [problem] = urlSlotProblems(source, slot);
  if (problem) throw new IntentError("SPEC_URL_SLOT", `URL "${source}" is refused: ${problem.message}`);
  if (!source.includes("{{")) return Object.freeze({ source, lone: false, render: () => source });
  const parts = (plainPieces(source) ?? []).map((piece) => (piece.t === "text" ? piece.text : compileExpression(piece.expr, predicates)));
  const render = (scope: object): string => {
    let url = "";
    let planned = false;
    for (const part of parts) {
      const text = typeof part === "string" ? part : segment(source, part(scope));
      if (typeof part !== "string" && isPlaceholderText(text)) planned = true;
      url += text;
    }
    if (planned) return url;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.href !== url || !slot.prefixes.some((prefix) => url.startsWith(prefix))) throw segmentError(source, "does not keep the URL as written");
    return url;
  };
  return Object.freeze({ source, lone: false, render });
}
