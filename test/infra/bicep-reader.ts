/**
 * Just enough of Bicep's syntax to cross-check the templates without the Bicep compiler (which
 * cannot be installed here): declarations, object keys and module wiring.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const INFRA_DIR = join(__dirname, "..", "..", "infra");

export function readBicep(relativePath: string): string {
  return readFileSync(join(INFRA_DIR, relativePath), "utf8");
}

/**
 * The source with comments and string contents blanked to spaces (quotes and length kept, so
 * indexes still match the original). `${…}` inside a string is code and may hold strings itself;
 * a multi-line `'''…'''` string is verbatim (no escapes, no interpolation).
 */
export function blankStringsAndComments(source: string): string {
  const out = source.split("");
  const blank = (i: number): void => {
    if (out[i] !== "\n") out[i] = " ";
  };
  // Each entry: how many `{` are open in the interpolation the string at that level sits in.
  const interpolations: number[] = [];
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (inString) {
      if (ch === "\\") {
        blank(i);
        blank(++i);
      } else if (ch === "'") {
        inString = false;
      } else if (ch === "$" && source[i + 1] === "{") {
        interpolations.push(0);
        inString = false;
        i++;
      } else {
        blank(i);
      }
      continue;
    }
    if (ch === "/" && source[i + 1] === "/") {
      for (; i < source.length && source[i] !== "\n"; i++) blank(i);
    } else if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      if (end < 0) throw new Error(`unterminated ''' string at ${i}`);
      for (let j = i + 3; j < end; j++) blank(j);
      i = end + 2;
    } else if (ch === "'") {
      inString = true;
    } else if (interpolations.length > 0 && ch === "{") {
      interpolations.push((interpolations.pop() ?? 0) + 1);
    } else if (interpolations.length > 0 && ch === "}") {
      const open = interpolations.pop() ?? 0;
      if (open === 0) inString = true;
      else interpolations.push(open - 1);
    }
  }
  return out.join("");
}

/** The text of the `{ … }` (or `[ … ]`) that opens at or after `from`, brackets included. */
export function blockAt(source: string, from: number): string {
  const clean = blankStringsAndComments(source);
  const start = clean.slice(from).search(/[{[]/) + from;
  let depth = 0;
  for (let i = start; i < clean.length; i++) {
    const ch = clean[i];
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    if (ch === "}" || ch === "]" || ch === ")") depth--;
    if (depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`unbalanced block at ${from}`);
}

/** Top-level keys of an object literal's text, in order. */
export function objectKeys(objectText: string): string[] {
  const clean = blankStringsAndComments(objectText);
  let flat = "";
  let depth = 0;
  for (const ch of clean) {
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    if (depth === 1 && ch !== "{") flat += ch;
    if (ch === "}" || ch === "]" || ch === ")") depth--;
  }
  return [...flat.matchAll(/^\s*([A-Za-z_][\w]*)\s*:/gm)].map((m) => m[1] as string);
}

/** Keys and raw value text of a top-level object literal, e.g. `var appSettings = { … }`. */
export function objectEntries(objectText: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = objectText.slice(1, -1).split("\n");
  for (const line of lines) {
    const m = /^ {2}([A-Za-z_]\w*)\s*:\s*(.*)$/.exec(line);
    if (m) entries.set(m[1] as string, m[2] as string);
  }
  return entries;
}

export function variableBlock(source: string, name: string): string {
  const at = source.search(new RegExp(`^var ${name} = `, "m"));
  if (at < 0) throw new Error(`no var ${name}`);
  return blockAt(source, at);
}

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export function params(source: string): BicepParam[] {
  return [...blankStringsAndComments(source).matchAll(/^param (\w+) (\w+)(\s*=)?/gm)].map((m) => ({
    name: m[1] as string,
    type: m[2] as string,
    hasDefault: m[3] !== undefined,
  }));
}

export function outputs(source: string): Array<{ name: string; type: string; value: string }> {
  return [...source.matchAll(/^output (\w+) (\w+) = (.*)$/gm)].map((m) => ({
    name: m[1] as string,
    type: m[2] as string,
    value: m[3] as string,
  }));
}

export interface ModuleUse {
  symbol: string;
  file: string;
  params: string[];
}

/** Every `module x 'path' = { params: { … } }` of a file, with the module path resolved. */
export function modules(source: string, relativeFile: string): ModuleUse[] {
  return [...source.matchAll(/^module (\w+) '([^']+)' = /gm)].map((m) => {
    const block = blockAt(source, m.index ?? 0);
    const paramsAt = block.search(/^\s*params: \{/m);
    return {
      symbol: m[1] as string,
      file: join(dirname(relativeFile), m[2] as string),
      params: paramsAt < 0 ? [] : objectKeys(blockAt(block, paramsAt)),
    };
  });
}

export function resourceTypes(source: string): Array<{ symbol: string; type: string; apiVersion: string }> {
  return [...source.matchAll(/^resource (\w+) '([^'@]+)@([^']+)'/gm)].map((m) => ({
    symbol: m[1] as string,
    type: m[2] as string,
    apiVersion: m[3] as string,
  }));
}

/** The text of every verbatim `'''…'''` string in the source, in order. */
export function verbatimStrings(source: string): string[] {
  return [...source.matchAll(/'''([\s\S]*?)'''/g)].map((m) => m[1] as string);
}
