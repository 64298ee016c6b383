import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = join(__dirname, "..", "..", "scripts", "test-summary.cjs");
const dir = mkdtempSync(join(tmpdir(), "test-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: string, body: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

function summarise(...runs: string[]): { lines: string[]; status: number | null } {
  const result = spawnSync(process.execPath, [SCRIPT, ...runs], { cwd: dir, encoding: "utf8" });
  return { lines: result.stdout.trim().split("\n"), status: result.status };
}

describe("CI's summary line", () => {
  it("sums both runs, names every failed test and a file that did not load, and ends with the plain line", () => {
    const green = report("green.json", { numPassedTests: 3, numFailedTests: 0, numTotalTests: 3, success: true, testResults: [] });
    const red = report("red.json", {
      numPassedTests: 1,
      numFailedTests: 1,
      numRuntimeErrorTestSuites: 1,
      numTotalTests: 2,
      success: false,
      testResults: [
        { name: join(dir, "test/a.test.ts"), status: "failed", assertionResults: [{ status: "passed", fullName: "a works" }, { status: "failed", fullName: "a breaks under load" }] },
        { name: join(dir, "test/b.test.ts"), status: "failed", message: "Error: cannot find module\n    at load", assertionResults: [] },
      ],
    });
    const { lines, status } = summarise(`Node 20=${green}`, `Node 22=${red}`);
    expect(lines).toEqual([
      "Node 20: 3 of 3 tests passed",
      "Node 22: 1 of 2 tests passed",
      "Node 22: FAILED test/a.test.ts > a breaks under load",
      "Node 22: FAILED test/b.test.ts (Error: cannot find module)",
      "4 passed, 2 failed",
    ]);
    expect(status).toBe(1);
  });

  it("counts a run that left no report as a failure and exits 0 only when everything passed", () => {
    const green = report("green2.json", { numPassedTests: 5, numFailedTests: 0, numTotalTests: 5, success: true, testResults: [] });
    expect(summarise(green)).toEqual({ lines: ["5 passed, 0 failed"], status: 0 });
    const missing = summarise(`Node 20=${green}`, `Node 22=${join(dir, "absent.json")}`);
    expect(missing.lines.at(-1)).toBe("5 passed, 1 failed");
    expect(missing.status).toBe(1);
  });
});
