/**
 * The layer rules of engine/ and sandbox/ (README, Layout): every import of every module is read
 * and checked against the one table below, and the module graph must have no cycle. There is no
 * list of exceptions: a module that needs another part's code moves, or the rule changes here and
 * in the README together.
 */
import { describe, expect, it } from "vitest";
import { cycles, importsOf, modules, partOf, type ImportEdge } from "./imports";

/** Part → the other parts its modules may import. Everything may import its own part. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  contracts: ["core"],
  language: ["core", "contracts", "schemas"],
  runtime: ["core", "language"],
  clients: ["core", "contracts"],
  kinds: ["core", "contracts", "clients"],
  lifecycle: ["core", "language", "runtime", "clients"],
  inbound: ["core", "language", "runtime", "clients", "lifecycle", "schemas"],
  tooling: ["core", "contracts", "language", "runtime", "clients", "kinds", "lifecycle", "sandbox", "schemas"],
  hosts: ["core", "contracts", "language", "runtime", "clients", "kinds", "lifecycle", "inbound", "tooling", "sandbox", "schemas"],
  surface: ["core", "language", "runtime", "kinds"],
  sandbox: ["core", "contracts"],
};

/** Packages only one folder may import. */
const PACKAGE_HOMES: Readonly<Record<string, string>> = {
  "@azure/functions": "engine/hosts/functions/",
};

const all = modules();
const edges: ImportEdge[] = all.flatMap(importsOf);
const shown = (edge: ImportEdge) => `${edge.from}:${edge.line} imports ${edge.to ?? edge.specifier}`;

describe("the import graph of engine/ and sandbox/", () => {
  it("is read whole: every module, every relative import resolved", () => {
    expect(all.length).toBeGreaterThan(150);
    expect(all).toEqual(expect.arrayContaining(["engine/core/errors.ts", "engine/hosts/functions/index.ts", "sandbox/server.ts"]));
    expect(edges.filter((edge) => edge.specifier.startsWith(".") && edge.to === undefined).map(shown)).toEqual([]);
  });

  it("puts every module in a known part", () => {
    expect([...new Set(all.map(partOf))].filter((part) => !(part in MAY_IMPORT))).toEqual([]);
  });

  it("has no import that breaks a layer rule", () => {
    const broken = edges.filter((edge) => {
      if (edge.to === undefined) return false;
      const from = partOf(edge.from);
      const to = partOf(edge.to);
      return from !== to && !(MAY_IMPORT[from] ?? []).includes(to);
    });
    expect(broken.map(shown)).toEqual([]);
  });

  it("imports @azure/functions only from engine/hosts/functions, and nothing into engine/core but node builtins", () => {
    const misplaced = edges.filter((edge) => {
      const home = PACKAGE_HOMES[edge.specifier];
      return home !== undefined && !edge.from.startsWith(home);
    });
    expect(misplaced.map(shown)).toEqual([]);
    const corePackages = edges.filter((edge) => partOf(edge.from) === "core" && edge.to === undefined && !edge.specifier.startsWith("node:"));
    expect(corePackages.map(shown)).toEqual([]);
  });

  it("has no cycle between modules", () => {
    const graph = new Map(all.map((file) => [file, edges.filter((edge) => edge.from === file && edge.to?.endsWith(".ts")).map((edge) => edge.to!)]));
    expect(cycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("finds what it looks for (the checks fail on a broken graph)", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]]);
    expect(cycles(graph)).toEqual(expect.arrayContaining([["a", "b", "c"], ["d"]]));
    expect(cycles(graph)).toHaveLength(2);
    expect(partOf("engine/runtime/interpreter.ts")).toBe("runtime");
    expect(partOf("engine/index.ts")).toBe("surface");
    expect(partOf("engine/stray.ts")).toBe("engine/stray.ts");
    expect(MAY_IMPORT.runtime).not.toContain("clients");
    expect(MAY_IMPORT.sandbox).toEqual(["core", "contracts"]);
  });
});
