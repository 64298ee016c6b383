/**
 * Which settings the code reads, found by scanning every module under engine/ rather than a list
 * of files, and which of those modules the Function App loads (the import graph from its entry
 * files), so a new module that reads a setting is checked without anyone remembering to add it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** Every .ts module under engine/, as a path relative to the repository root. */
export function engineModules(dir = join(ROOT, "engine")): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return engineModules(path);
    return entry.endsWith(".ts") ? [relative(ROOT, path)] : [];
  });
}

function withoutComments(source: string): string {
  // `//` after a colon is a URL inside a string, not a comment.
  return source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:"'])\/\/.*$/gm, "$1");
}

// A record of settings: `env`, `settings`, `process.env`, `this.env`. Setting names start with a
// capital letter (NAME_LIKE_THIS, AzureWebJobsStorage); camelCase properties are code.
const RECORD = String.raw`(?:process\.env|this\.env|\benv|\bsettings)`;
const NAME = String.raw`([A-Z][A-Za-z0-9_]*)`;

/** Setting names a module reads, however it reads them. */
export function settingsReadBy(source: string): string[] {
  const code = withoutComments(source);
  const names = new Set<string>();
  const add = (pattern: RegExp): void => {
    for (const m of code.matchAll(pattern)) names.add(m[1] as string);
  };
  add(new RegExp(`${RECORD}\\??\\.${NAME}`, "g"));
  add(new RegExp(`${RECORD}\\[\\s*"${NAME}"\\s*\\]`, "g"));
  // helpers called with the record and a name, e.g. integer(env, "NAME", fallback)
  add(new RegExp(`\\(\\s*(?:env|settings)\\s*,\\s*"${NAME}"`, "g"));
  for (const m of code.matchAll(new RegExp(`const \\{([^}]*)\\} = ${RECORD}\\b`, "g"))) {
    for (const n of (m[1] as string).matchAll(new RegExp(`(?:^|,)\\s*${NAME}`, "g"))) names.add(n[1] as string);
  }
  // Lists of names read by indexing the record with a variable, e.g. REQUIRED.filter((n) => !settings[n]).
  if (new RegExp(`${RECORD}\\[\\s*[a-z]\\w*\\s*\\]`).test(code)) {
    for (const list of code.matchAll(/^(?:export )?const [A-Z_]+ = \[([^\]]*)\] as const/gm)) {
      for (const m of (list[1] as string).matchAll(/"([A-Za-z_]\w*)"/g)) names.add(m[1] as string);
    }
  }
  return [...names].sort();
}

/** Relative modules a module loads at run time (static, dynamic and re-exports; type-only imports excluded). */
export function importsOf(file: string): string[] {
  const code = withoutComments(readFileSync(join(ROOT, file), "utf8")).replace(/\bimport\s+type\s[^;]*?from\s*"[^"]+"/g, "");
  const found: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)"(\.{1,2}\/[^"]+)"/g)) {
    const base = join(dirname(file), m[1] as string);
    const resolved = [`${base}.ts`, join(base, "index.ts")].find((candidate) => existsSync(join(ROOT, candidate)));
    if (resolved) found.push(resolved);
  }
  return found;
}

/** The Function App's entry modules: those package.json's main (dist/function-app.js) bundles, in source form. */
export function functionAppEntries(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { functionAppModules } = require(join(ROOT, "scripts", "bundle.cjs")) as { functionAppModules(root: string): string[] };
  return functionAppModules(ROOT);
}

/** Every module the Function App loads, transitively. */
export function loadedByFunctionApp(): Set<string> {
  const seen = new Set<string>();
  const pending = functionAppEntries();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...importsOf(next));
  }
  return seen;
}

/** Module → the settings it reads, for every module under engine/ that reads any. */
export function settingsReaders(): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const file of engineModules()) {
    const names = settingsReadBy(readFileSync(join(ROOT, file), "utf8"));
    if (names.length > 0) readers.set(file, names);
  }
  return readers;
}
