/** docs/intent-language.md states what the engine does: its helper reference is generated from the helper definitions. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderHelpersMarkdown } from "../../engine/tooling/docs/helpers-markdown";
import { HELPER_DEFINITIONS } from "../../engine/language/expression";

const doc = readFileSync(join(__dirname, "../../docs/intent-language.md"), "utf8");

describe("docs/intent-language.md", () => {
  it("lists exactly the helpers `intents docs --helpers` prints, between its markers", () => {
    const section = doc.split("<!-- helpers:begin -->\n")[1]?.split("<!-- helpers:end -->")[0];
    expect(section, "the helper section (paste `npx intents docs --helpers` between the markers)").toBe(renderHelpersMarkdown());
  });

  it("documents every helper with its signature, semantics and an example", () => {
    for (const helper of HELPER_DEFINITIONS) {
      expect(helper.summary.length, helper.name).toBeGreaterThan(10);
      expect(helper.semantics.length, helper.name).toBeGreaterThan(5);
      expect(helper.example.template, helper.name).toContain(helper.name);
    }
  });
});
