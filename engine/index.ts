/** The engine's public surface for scripts and tests: the language, the interpreter and the built-in kinds. */
export { lintPaths, loadCatalog, formatDiagnostic, DEFAULT_INTENTS_DIR } from "./language/spec/catalog";
export { mapFields, canonicalJson, type FieldError, type MappedFields } from "./language/spec/fields";
export { loadIntentText } from "./language/spec/load";
export { StepKindRegistry, type KindSpecs } from "./core/step-kind-registry";
export { builtinKinds, builtinKindSpecs, graphKinds, automationKinds, type KindDeps } from "./kinds";
export { IntentError, ensureIntentError, ERROR_CODES, type ErrorCode } from "./core/errors";
export type { Catalog, CompiledIntent, FieldSpec } from "./language/spec/types";
export { execute, type ExecuteOptions } from "./runtime/interpreter";
export type * from "./runtime/types";
export type * from "./core/step-kind";
