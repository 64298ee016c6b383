/** The intent catalogue as the pipeline's engine port: one place for the Function App and the bench. */
import { execute, mapFields, type Catalog, type CompiledIntent } from "../../index";
import type { IntentEngine } from "../../lifecycle/types";

export function catalogEngine(catalog: Catalog): IntentEngine<CompiledIntent> {
  // Arrow wrappers: the port must not depend on a catalogue's methods being free of `this`.
  return {
    find: (name) => catalog.find(name),
    supportedNames: () => catalog.supportedNames(),
    mapFields,
    execute,
  };
}
