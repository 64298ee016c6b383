/**
 * The broken-intent corpus: each file holds one defect and says, in its first line, what lint must
 * report and where — `# expect: CODE at "text" [#n] : message part`. The place is where that text
 * (its n-th occurrence) is written, so the file itself states the right line and column.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, lintPaths } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const dir = join(__dirname, "..", "fixtures", "broken-intents");
const files = readdirSync(dir).filter((name) => name.endsWith(".yaml")).sort();

interface Expectation {
  code: string;
  line: number;
  col: number;
  message: string;
}

function expectation(file: string): Expectation {
  const text = readFileSync(join(dir, file), "utf8");
  const header = /^# expect: (\S+) at ("(?:[^"\\]|\\.)*")(?: #(\d+))? : (.*)$/m.exec(text.split("\n")[0] ?? "");
  if (!header) throw new Error(`${file}: the first line must be # expect: CODE at "text" [#n] : message`);
  const needle = JSON.parse(header[2]!) as string;
  const nth = Number(header[3] ?? 1);
  const body = text.slice(text.indexOf("\n") + 1);
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = body.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${file}: "${needle}" occurs fewer than ${nth} times`);
  }
  const before = body.slice(0, at).split("\n");
  return { code: header[1]!, line: before.length + 1, col: before[before.length - 1]!.length + 1, message: header[4]! };
}

describe("the broken-intent corpus", () => {
  it("holds at least 60 files and covers every lint code", () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
    const codes = new Set(files.map((file) => expectation(file).code));
    // SPEC_CASE_INVALID is about case files, not intents; SPEC_EXCHANGE_CMDLET needs its kind registered.
    const exchange = builtinKindSpecs().find("exchange:cmdlet") !== undefined;
    const lintCodes = Object.keys(ERROR_CODES).filter((code) => code.startsWith("SPEC_") && code !== "SPEC_CASE_INVALID" && (exchange || code !== "SPEC_EXCHANGE_CMDLET"));
    expect(lintCodes.filter((code) => !codes.has(code))).toEqual([]);
  });

  for (const file of files) {
    it(file, () => {
      const want = expectation(file);
      const { diagnostics } = lintPaths([join(dir, file)], builtinKindSpecs());
      const found = diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col, message: d.message }));
      expect(found, "exactly one diagnostic, at the defect").toEqual([{ code: want.code, line: want.line, col: want.col, message: expect.stringContaining(want.message) }]);
    });
  }
});
