/** The intent catalogue as the pipeline's engine port: one place for the Function App and the bench. */
import { mapFields } from "../../language/spec/fields";
import type { Catalog, CompiledIntent } from "../../language/spec/types";
import type { IntentEngine } from "../../lifecycle/types";
import { execute } from "../../runtime/interpreter";

export function catalogEngine(catalog: Catalog): IntentEngine<CompiledIntent> {
  // Arrow wrappers: the port must not depend on a catalogue's methods being free of `this`.
  return {
    find: (name) => catalog.find(name),
    supportedNames: () => catalog.supportedNames(),
    mapFields,
    execute,
  };
}
