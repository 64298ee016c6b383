import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderErrorCodesMarkdown } from "../../engine/tooling/docs/error-codes-markdown";
import { ERROR_CODES } from "../../engine/core/errors";

describe("README error-code table", () => {
  it("is exactly what `intents docs --errors` prints from engine/core/errors.ts", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    const section = readme.split("## Error codes")[1];
    expect(section, "README.md has an '## Error codes' section").toBeDefined();
    const table = section!.slice(section!.indexOf("| code |")).split(/\n(?!\|)/)[0] + "\n";
    expect(table).toBe(renderErrorCodesMarkdown());
  });

  it("lists every code once", () => {
    const rows = renderErrorCodesMarkdown().split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toHaveLength(Object.keys(ERROR_CODES).length);
  });
});
