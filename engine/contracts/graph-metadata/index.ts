/**
 * Questions about Graph v1.0 that the sandbox and the linter both ask, answered from the compact
 * index built by scripts/build-graph-index.ts (derived from Microsoft's MIT-licensed CSDL, see
 * LICENSE-graph-metadata.txt beside it).
 */
export type { GraphIndexData, OperationEntry, TypeEntry } from "./types";
export { suggestName } from "./suggest";
export {
  graphIndex, qualifiedTypeName, isTypeOrSubtype, listProperties, findProperty, findPropertyInSubtypes, findOperation,
  segmentCandidates, typeFromQualifiedName, suggestProperty,
} from "./schema";
export type { PropertyInfo } from "./schema";
export { resolveGraphPath } from "./resolve-path";
export type { PathResolution, PathTarget } from "./resolve-path";
export { findUnknownBodyProperty, findUnknownParameter } from "./check-body";
export type { UnknownName } from "./check-body";
export { checkGraphRequest } from "./check-request";
export type { GraphNameProblem } from "./check-request";
