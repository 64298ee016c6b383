/** The engine's public surface: what the Function App, the CLI and the other parts call. */
export { lintPaths, loadCatalog, formatDiagnostic, DEFAULT_INTENTS_DIR } from "./spec/catalog";
export { mapFields, canonicalJson, type FieldError, type MappedFields } from "./spec/fields";
export { loadIntentText } from "./spec/load";
export { registerStepKind, findStepKind, stepKindIds } from "./steps/registry";
export { IntentError, ensureIntentError, ERROR_CODES, type ErrorCode } from "./errors";
export type { Catalog, CompiledIntent, FieldSpec } from "./spec/types";
export { execute, type ExecuteOptions } from "./runtime/interpreter";
export type * from "./runtime/types";
export type * from "./steps/types";

