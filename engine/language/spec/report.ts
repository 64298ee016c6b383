/** How a check reports a problem: a stable code, a sentence, where (a path, its key, or an offset in its text). */
import type { ErrorCode } from "../../core/errors";
import type { DiagnosticAnchor } from "../../core/step-kind";
import type { DocPath } from "./source";

export type Report = (code: ErrorCode, message: string, path: DocPath, anchor?: DiagnosticAnchor) => void;
