/** Many intents from the shipped ones: the same YAML under new names, as a large catalogue would be. */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import type { CompiledIntent } from "../engine/index";

/** Writes `count` intent files into `dir`, cycling through `sources`; returns the file count. */
export function generateIntents(sources: readonly CompiledIntent[], count: number, dir: string): number {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const document = parseDocument(readFileSync(source.file, "utf8"));
    const suffix = ` (copy ${i + 1})`;
    document.set("name", source.name + suffix);
    document.set("aliases", source.aliases.map((alias) => alias + suffix));
    // Case files stay with the shipped intents; a copy has none.
    document.delete("cases");
    writeFileSync(join(dir, `intent-${String(i + 1).padStart(3, "0")}.yaml`), document.toString());
  }
  // The copies use the same fragments, from the same libraries.
  const shared = join(dirname(sources[0]?.file ?? "."), "shared");
  if (existsSync(shared)) cpSync(shared, join(dir, "shared"), { recursive: true });
  return count;
}
