/**
 * YAML with source positions: the parsed value plus a way to find the line and column of any
 * path in it, so every diagnostic points at the offending node.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node } from "yaml";
import type { Diagnostic } from "../../core/step-kind";

export type DocPath = ReadonlyArray<string | number>;

export interface SourceFile {
  file: string;
  value: unknown;
  /** Position of the value at `path`, or of its key when `key` is set; falls back to the nearest parent. */
  locate(path: DocPath, key?: boolean): { line: number; col: number };
  /**
   * Position of character `offset` of the string value at `path`, for single-line plain and quoted
   * scalars whose source text is the value itself; otherwise the start of the value.
   */
  locateAt(path: DocPath, offset: number): { line: number; col: number };
  /** True when the node at `path` is a scalar without any template. */
  isLiteral(path: DocPath): boolean;
}

export function parseSource(file: string, text: string): { source?: SourceFile; diagnostics: Diagnostic[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((error): Diagnostic => {
      const { line, col } = counter.linePos(error.pos[0]);
      return { code: "SPEC_YAML_SYNTAX", message: error.message.split("\n")[0] ?? "invalid YAML", file, line, col };
    });
    return { diagnostics };
  }
  const position = (offset: number | undefined): { line: number; col: number } => counter.linePos(offset ?? 0);
  const walk = (path: DocPath, key: boolean): { node: Node | null; keyNode: Node | null } => {
    let node = doc.contents as Node | null;
    let keyNode: Node | null = null;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = (pair.value as Node | null) ?? keyNode;
      } else if (isSeq(node) && typeof part === "number" && node.items[part]) {
        node = node.items[part] as Node;
        keyNode = null;
      } else {
        break;
      }
    }
    return { node, keyNode: key ? keyNode : null };
  };
  const source: SourceFile = {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    locate(path, key = false) {
      const { node, keyNode } = walk(path, key);
      return position((keyNode ?? node)?.range?.[0]);
    },
    locateAt(path, offset) {
      const { node } = walk(path, false);
      const start = node?.range?.[0];
      if (!isScalar(node) || start === undefined || typeof node.value !== "string") return position(start);
      return position(start + valueOffset(text.slice(start, node.range?.[1]), node, offset));
    },
    isLiteral(path) {
      const { node } = walk(path, false);
      return isScalar(node) && !(typeof node.value === "string" && node.value.includes("{{"));
    },
  };
  return { source, diagnostics: [] };
}

/**
 * Offset in the scalar's source text of the value's character `offset`, or 0 when the two cannot
 * be matched (escapes, folding): single-line plain and quoted scalars, and literal blocks (`|`).
 */
function valueOffset(raw: string, node: Scalar, offset: number): number {
  const value = node.value as string;
  if (node.type === Scalar.BLOCK_LITERAL) return blockOffset(raw, value, offset);
  if (raw.includes("\n")) return 0;
  if (node.type === Scalar.PLAIN) return raw === value ? offset : 0;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  return quoted && raw.slice(1, -1) === value ? offset + 1 : 0;
}

/** A literal block's lines are the value's lines behind one indentation, after the `|` header line. */
function blockOffset(raw: string, value: string, offset: number): number {
  const header = raw.indexOf("\n");
  const body = raw.slice(header + 1);
  const indent = /^ */.exec(body)?.[0].length ?? 0;
  const lineIndex = value.slice(0, offset).split("\n").length - 1;
  const column = offset - (value.lastIndexOf("\n", offset - 1) + 1);
  let lineStart = header + 1;
  for (let i = 0; i < lineIndex; i++) {
    const next = raw.indexOf("\n", lineStart);
    if (next < 0) return 0;
    lineStart = next + 1;
  }
  const line = raw.slice(lineStart, raw.indexOf("\n", lineStart) < 0 ? undefined : raw.indexOf("\n", lineStart));
  // Only when the source line really holds the value's line there (no folding, no odd indentation).
  const valueLine = value.split("\n")[lineIndex] ?? "";
  return header >= 0 && line.slice(indent) === valueLine ? lineStart + indent + column : 0;
}
