/**
 * The shipped libraries as docs/intent-language.md lists them: every predicate, request and step
 * fragment, outcome set and constant, with its inputs, from the library files themselves.
 * `intents docs --library` prints it and a test keeps the two equal.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { KindSpecs } from "../../core/step-kind-registry";
import { DEFAULT_INTENTS_DIR, yamlFiles } from "../../language/spec/files";
import { loadLibraries } from "../../language/spec/library";
import type { Fragment, FragmentInput, Library, LibraryRule } from "../../language/spec/library-types";
import { parseSource, type SourceFile } from "../../language/spec/source";

/** The libraries in `shared/` of an intents folder (the shipped one by default). */
export function sharedLibrary(kinds: KindSpecs, dir = DEFAULT_INTENTS_DIR): { library: Library; descriptions: Map<string, string> } {
  const sources = yamlFiles([join(dir, "shared")]).flatMap((path): SourceFile[] => {
    const { source } = parseSource(join("shared", basename(path)), readFileSync(path, "utf8"));
    return source && (source.value as { kind?: unknown } | null)?.kind === "Library" ? [source] : [];
  });
  const descriptions = new Map(sources.map((source) => [source.file, String((source.value as { description?: unknown }).description ?? "").trim()]));
  return { library: loadLibraries(sources, { kinds, referenceChecks: false }).library, descriptions };
}

function inputsText(inputs: Record<string, FragmentInput>): string {
  const entries = Object.entries(inputs);
  if (entries.length === 0) return "No inputs.";
  const one = ([name, input]: [string, FragmentInput]) => `\`${name}\` (${input.type}${input.required ? "" : ", optional"})${input.description ? `: ${input.description.replace(/\.$/, "")}` : ""}`;
  return `Inputs: ${entries.map(one).join("; ")}.`;
}

function sentence(text: string | undefined): string {
  const trimmed = (text ?? "").replace(/\s+/g, " ").trim();
  return trimmed === "" ? "" : /[.!?]$/.test(trimmed) ? `${trimmed} ` : `${trimmed}. `;
}

function fragmentLine(what: string, fragment: Fragment<unknown>, extra = ""): string {
  return `- \`${fragment.name}\` (${what}): ${sentence(fragment.description)}${extra}${inputsText(fragment.inputs)}`;
}

function codesOf(rules: readonly LibraryRule[]): string {
  const codes = [...new Set(rules.flatMap((rule) => (rule.error?.code ? [rule.error.code] : [])))];
  return codes.length > 0 ? `Fails with ${codes.map((code) => `\`${code}\``).join(", ")}. ` : "";
}

function constantShape(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return `keys ${Object.keys(value).map((key) => `\`${key}\``).join(", ")}`;
  return `\`${JSON.stringify(value)}\``;
}

export function renderLibraryMarkdown(shared: { library: Library; descriptions: Map<string, string> }): string {
  const { library, descriptions } = shared;
  const sections: string[] = [];
  for (const [file, description] of [...descriptions].sort(([a], [b]) => a.localeCompare(b))) {
    const here = <T extends { at: { source: SourceFile } }>(map: ReadonlyMap<string, T>): T[] => [...map.values()].filter((entry) => entry.at.source.file === file);
    const lines = [
      ...here(library.predicates).map((p) => `- \`${p.name}\` (predicate): \`${p.text}\``),
      ...here(library.requests).map((f) => fragmentLine(`request, ${String(f.body.method ?? "GET")} ${String(f.body.path ?? "")}`, f)),
      ...here(library.steps).map((f) => fragmentLine(`step, ${f.body.kind}`, f)),
      ...here(library.outcomes).map((f) => fragmentLine("outcome set", f, codesOf(f.body))),
      ...here(library.constants).map((c) => `- \`${c.name}\` (constant): ${constantShape(c.value)}.`),
    ];
    sections.push([`#### \`intents/${file}\``, "", sentence(description).trim(), "", ...lines].join("\n"));
  }
  return `${sections.join("\n\n")}\n`;
}
