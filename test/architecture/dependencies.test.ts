/**
 * Every production dependency is one the code loads: a package nothing names is weight in every
 * install and in the Function App's package (and, like a once-listed @azure/msal-node, a supply
 * chain to watch for no use). "Names" = a string literal that is the package or a path inside it,
 * in an import, a require, or a loader call (telemetry loads its packages by name).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./imports";

const CODE = ["engine", "sandbox", "bin", "scripts"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|cjs|js)$/.test(entry) ? [path] : [];
  });
}

/** Every string literal in the code that could name a package. */
function namedInCode(): Set<string> {
  const named = new Set<string>();
  for (const file of CODE.flatMap((dir) => sources(join(ROOT, dir)))) {
    for (const found of readFileSync(file, "utf8").matchAll(/["'`]((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+)(?:\/[^"'`\s]*)?["'`]/g)) named.add(found[1] as string);
  }
  return named;
}

/** The dependencies no code names. */
function unused(dependencies: readonly string[], named: ReadonlySet<string>): string[] {
  return dependencies.filter((name) => !named.has(name));
}

describe("production dependencies", () => {
  const named = namedInCode();

  it("are each loaded by the code", () => {
    const dependencies = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
    expect(dependencies.length).toBeGreaterThan(5);
    expect(unused(dependencies, named), "remove from package.json, or say where it is used").toEqual([]);
  });

  it("would report a package nothing names", () => {
    expect(named.has("ajv")).toBe(true);
    expect(unused(["@azure/msal-node", "ajv"], named)).toEqual(["@azure/msal-node"]);
  });
});
