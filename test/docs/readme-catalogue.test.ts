/**
 * The README's intent table is the catalogue an MSP reads before writing a ticket: one row per
 * shipped intent, named as the intent names itself, with every alias a requester may use, and no
 * row for an intent that is not shipped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
const catalog = loadCatalog(builtinKindSpecs());

/** The first cell of each row of the table under "| intent (aliases) |". */
function firstCells(): string[] {
  const start = readme.indexOf("| intent (aliases) |");
  expect(start, "README.md has the intent table").toBeGreaterThan(-1);
  const rows = readme.slice(start).split("\n");
  const end = rows.findIndex((line) => !line.startsWith("|"));
  return rows.slice(2, end).map((row) => row.split(" | ")[0]!.replace(/^\| /, ""));
}

/** "Name (alias; alias — note)" → the name. */
const nameOf = (cell: string): string => cell.replace(/ \(.*$/, "");

describe("README intent table", () => {
  it("has one row per shipped intent and none for an intent that is not shipped", () => {
    const names = firstCells().map(nameOf);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(catalog.intents.map((intent) => intent.name).sort());
  });

  it("names every alias of each intent in its row", () => {
    const cells = firstCells();
    for (const intent of catalog.intents) {
      const cell = cells.find((c) => nameOf(c) === intent.name) ?? "";
      for (const alias of intent.aliases) expect(cell, `${intent.name} row names the alias ${alias}`).toContain(alias);
    }
  });
});
