/** The catalogue over compiled intents: lookup by name or alias, the way Thread sends them. */
import { normaliseName } from "./names";
import type { Catalog, CompiledIntent } from "./types";

export function catalogOf(intents: readonly CompiledIntent[]): Catalog {
  const byName = new Map<string, CompiledIntent>();
  for (const intent of intents) for (const name of [intent.name, ...intent.aliases]) byName.set(normaliseName(name), intent);
  return Object.freeze({
    intents: Object.freeze([...intents]),
    find: (name: string) => byName.get(normaliseName(name)),
    supportedNames: () => intents.map((intent) => intent.name).sort(),
  });
}
