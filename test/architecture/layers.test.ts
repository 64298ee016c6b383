/**
 * The layer rules of engine/ and sandbox/ (README, Layout): every import of every module is read
 * and checked against the one table below, and the module graph must have no cycle. There is no
 * list of exceptions: a module that needs another part's code moves, or the rule changes here and
 * in the README together (the last block below holds the README to this table and to the tree).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cycles, importsOf, modules, partOf, ROOT, type ImportEdge } from "./imports";

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

  it("has rules that point one way: no part may import, directly or through others, a part that may import it", () => {
    expect(cycles(new Map(Object.entries(MAY_IMPORT))).map((cycle) => cycle.join(" → "))).toEqual([]);
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

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("\n## Layout"), readme.indexOf("\n## ", readme.indexOf("\n## Layout") + 1));
const diagram = section.slice(section.indexOf("```") + 3, section.indexOf("```", section.indexOf("```") + 3));

/** Build output, dependencies and tool state: not part of the source tree. */
const NOT_SOURCE = new Set(["node_modules", "dist", "coverage"]);

function folders(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((name) => !name.startsWith(".") && !NOT_SOURCE.has(name) && statSync(join(ROOT, dir, name)).isDirectory())
    .sort();
}

/** `name/` words of a piece of text, backticks or not. */
function folderNames(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w/-])([a-z][a-z-]*)\/(?![\w])/g)].map((m) => m[1]!))].sort();
}

interface Arrow { part: string; targets: string; folders: string }

/** `part ───► targets   folders` lines of the diagram, top (highest) first. */
const arrows: Arrow[] = diagram.split("\n").flatMap((line) => {
  const match = /^\s*(\w+) ─+► (.*?)(?:\s{3,}(.*))?$/.exec(line);
  return match ? [{ part: match[1]!, targets: match[2]!, folders: match[3] ?? "" }] : [];
});

const PARTS = Object.keys(MAY_IMPORT).filter((part) => part !== "surface");

describe("README → Layout", () => {
  it("draws one arrow line for every part of the import rules", () => {
    expect(arrows.map((a) => a.part).sort()).toEqual([...PARTS].sort());
  });

  it("draws the arrows the import-rule test enforces (every part may import core; schemas/ is data)", () => {
    for (const [i, arrow] of arrows.entries()) {
      const below = arrow.targets.includes("everything below") ? arrows.slice(i + 1).map((a) => a.part) : [];
      const named = arrow.targets.split(/[^\w]+/).filter((word) => PARTS.includes(word));
      const drawn = new Set([...below, ...named]);
      if (arrow.part !== "core") drawn.add("core");
      const enforced = MAY_IMPORT[arrow.part]!.filter((part) => part !== "schemas");
      expect([...drawn].sort(), `${arrow.part} ──►`).toEqual([...enforced].sort());
    }
  });

  it("names on each engine part's line exactly the folders that part has", () => {
    const engineArrows = arrows.filter((a) => a.part !== "sandbox");
    expect(Object.fromEntries(engineArrows.map((a) => [a.part, folderNames(a.folders)]))).toEqual(Object.fromEntries(engineArrows.map((a) => [a.part, folders(`engine/${a.part}`)])));
  });

  it("has a folder-table row for every part of engine/ and every top-level folder, naming each part's folders", () => {
    const rows = new Map(
      [...section.matchAll(/^\| `([\w/-]+)\/` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!] as const),
    );
    const expected = [...folders("engine").map((part) => `engine/${part}`), ...folders(".").filter((dir) => dir !== "engine")].sort();
    expect([...rows.keys()].sort()).toEqual(expected);
    const parts = folders("engine");
    expect(Object.fromEntries(parts.map((part) => [part, folderNames(rows.get(`engine/${part}`) ?? "")]))).toEqual(Object.fromEntries(parts.map((part) => [part, folders(`engine/${part}`)])));
  });
});
