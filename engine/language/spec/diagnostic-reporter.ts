/**
 * Where a problem of an expanded intent is reported: at the place the intent writes it, or — for
 * what a fragment produced — at the use, naming the library's own line.
 */
import type { ErrorCode } from "../../core/errors";
import type { Diagnostic, DiagnosticAnchor } from "../../core/step-kind";
import { resolveOrigin } from "./fragment-origins";
import type { Expansion } from "./fragments";
import type { Report } from "./report";
import type { DocPath, SourceFile } from "./source";

const CHECKED_IN_THE_LIBRARY = new Set<ErrorCode>(["SPEC_GRAPH_UNKNOWN_SEGMENT", "SPEC_GRAPH_UNKNOWN_PROPERTY", "SPEC_GRAPH_VALUE_TYPE", "SPEC_RUNBOOK_UNKNOWN", "SPEC_RUNBOOK_PARAMETER"]);

/** Diagnostics at the place a path was written: the intent, or the use of a fragment naming the library line. */
export function diagnosticReporter(source: SourceFile, expansion: Expansion | undefined, diagnostics: Diagnostic[]): Report & { fromFragment(path: DocPath): boolean; written: Report } {
  const origins = expansion?.origins ?? new Map();
  const report = (code: ErrorCode, message: string, path: DocPath, anchor: DiagnosticAnchor = {}): void => {
    const { origin, rest } = resolveOrigin(origins, path);
    if (!origin || origin.kind === "intent" || origin.kind === "input") {
      const at = origin ? [...origin.path, ...rest] : path;
      const { line, col } = anchor.offset === undefined ? source.locate(at, anchor.key) : source.locateAt(at, anchor.offset);
      diagnostics.push({ code, message, file: source.file, line, col, path: at.join(".") });
      return;
    }
    // What the library's own check found in its text is reported there, once, not at every use.
    if (origin.exact && CHECKED_IN_THE_LIBRARY.has(code)) return;
    const library = origin.written.source;
    const inLibrary = [...origin.written.path, ...rest];
    const there = origin.exact && anchor.offset !== undefined ? library.locateAt(inLibrary, anchor.offset) : library.locate(inLibrary, anchor.key);
    const { line, col } = source.locate([...origin.use, "use"]);
    const text = `${message} (in "${origin.name}", ${library.file}:${there.line}:${there.col})`;
    diagnostics.push({ code, message: text, file: source.file, line, col, path: [...origin.use, "use"].join(".") });
  };
  const written: Report = (code, message, path, anchor = {}) => {
    const { line, col } = anchor.offset === undefined ? source.locate(path, anchor.key) : source.locateAt(path, anchor.offset);
    diagnostics.push({ code, message, file: source.file, line, col, path: path.join(".") });
  };
  return Object.assign(report, {
    written,
    fromFragment(path: DocPath): boolean {
      const { origin } = resolveOrigin(origins, path);
      return origin !== undefined && origin.kind !== "intent";
    },
  });
}
