/**
 * The import graph of engine/ and sandbox/, read with TypeScript's own pre-processor (static
 * imports, `export … from`, `import()` and `require()` with a literal specifier, type-only ones
 * included): each module's part, and what each import resolves to.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import ts from "typescript";

export const ROOT = join(__dirname, "..", "..");

export interface ImportEdge {
  /** Repository-relative path of the importing module. */
  from: string;
  specifier: string;
  /** Repository-relative path of the module imported, for our own modules; undefined for packages and node builtins. */
  to?: string;
  line: number;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return entry.endsWith(".ts") ? [path] : [];
  });
}

/** Every .ts module under engine/ and sandbox/, repository-relative with forward slashes. */
export function modules(): string[] {
  return ["engine", "sandbox"].flatMap((dir) => sources(join(ROOT, dir))).map(toRepoPath).sort();
}

function toRepoPath(path: string): string {
  return relative(ROOT, path).split(sep).join("/");
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = join(ROOT, dirname(from), specifier);
  // A dynamic import() names the module as it is compiled (`./x.js`); its source is x.ts.
  const source = base.endsWith(".js") ? [`${base.slice(0, -".js".length)}.ts`] : [];
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts"), ...source]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return toRepoPath(candidate);
  }
  return undefined;
}

export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((imported) => {
    const line = text.slice(0, imported.pos).split("\n").length;
    const relativeImport = imported.fileName.startsWith(".");
    const to = relativeImport ? resolveRelative(file, imported.fileName) : undefined;
    return { from: file, specifier: imported.fileName, line, ...(to ? { to } : {}) };
  });
}

/**
 * The part a module belongs to: `engine/<part>/…`, `engine/index.ts` (the public surface),
 * `sandbox`, or `schemas` (the published JSON Schemas some parts import). Anything else is
 * reported by its path, so a module outside the parts shows up as a part of its own.
 */
export function partOf(path: string): string {
  if (path.startsWith("sandbox/")) return "sandbox";
  if (path.startsWith("schemas/")) return "schemas";
  if (path === "engine/index.ts") return "surface";
  const segments = path.split("/");
  return segments[0] === "engine" && segments.length > 2 ? (segments[1] as string) : path;
}

/** Strongly connected components with more than one module (or a module importing itself): the cycles. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}
