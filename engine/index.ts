/** The engine's public surface: what the Function App, the CLI and the other parts call. */
export { lintPaths, loadCatalog, formatDiagnostic, DEFAULT_INTENTS_DIR } from "./language/spec/catalog";
export { mapFields, canonicalJson, type FieldError, type MappedFields } from "./language/spec/fields";
export { loadIntentText } from "./language/spec/load";
export { registerStepKind, findStepKind, stepKindIds } from "./kinds/registry";
export { IntentError, ensureIntentError, ERROR_CODES, type ErrorCode } from "./core/errors";
export type { Catalog, CompiledIntent, FieldSpec } from "./language/spec/types";
export { execute, type ExecuteOptions } from "./runtime/interpreter";
export type * from "./runtime/types";
export type * from "./core/step-kind";

