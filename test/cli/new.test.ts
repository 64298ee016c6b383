/** `intents new`: the scaffold lints clean and its cases pass, and nothing is overwritten. */
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run } from "../../engine/hosts/cli/commands/new";
import { scaffoldIntent } from "../../engine/tooling/scaffold";
import { lintPaths, loadCatalog } from "../../engine/index";
import { runCaseFiles, selectCaseFiles } from "../../engine/tooling/cases";
import { builtinKindSpecs } from "../../engine/kinds";

function intentsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "new-"));
  cpSync(join(__dirname, "../../intents/shared"), join(dir, "shared"), { recursive: true });
  return dir;
}

afterEach(() => vi.restoreAllMocks());

describe("intents new", () => {
  it("writes an intent and its cases that lint clean and pass", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const dir = intentsDir();
    expect(await run(["Show", "User's", "Name", "--dir", dir])).toBe(0);
    expect(readFileSync(join(dir, "show-user-s-name.yaml"), "utf8")).toContain('name: "Show User\'s Name"');
    expect(lintPaths([dir], builtinKindSpecs()).diagnostics).toEqual([]);
    const outcomes = await runCaseFiles(selectCaseFiles(loadCatalog(builtinKindSpecs(), dir)));
    expect(outcomes.map((o) => o.problems)).toEqual([[], []]);
  });

  it("points the editor at the engine's schemas, relative to the files it writes", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const dir = intentsDir();
    expect(await run(["Set", "Job", "Title", "--dir", dir])).toBe(0);
    const schemaOf = (file: string) => join(dirname(file), /\$schema=(\S+)/.exec(readFileSync(file, "utf8"))?.[1] as string);
    expect(schemaOf(join(dir, "set-job-title.yaml"))).toBe(join(__dirname, "../../schemas/intent.schema.json"));
    expect(schemaOf(join(dir, "cases", "set-job-title.cases.yaml"))).toBe(join(__dirname, "../../schemas/intent-cases.schema.json"));
    expect(existsSync(schemaOf(join(dir, "set-job-title.yaml")))).toBe(true);
  });

  it("in an MSP's repository, writes the schema line the README gives (the engine under node_modules)", () => {
    const repo = mkdtempSync(join(tmpdir(), "msp-"));
    const written = scaffoldIntent("Set Job Title", join(repo, "intents"), join(repo, "node_modules", "m365-intent-engine", "schemas"));
    expect(readFileSync(written.intent, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../node_modules/m365-intent-engine/schemas/intent.schema.json");
    expect(readFileSync(written.cases, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../../node_modules/m365-intent-engine/schemas/intent-cases.schema.json");
  });

  it("refuses a name the catalogue already has, and a file that exists", async () => {
    const errors: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (errors.push(String(chunk)), true));
    const dir = intentsDir();
    expect(await run(["Lookup", "--dir", dir])).toBe(0);
    expect(await run(["lookup", "--dir", dir])).toBe(1);
    expect(errors.join("")).toContain('"lookup" is already the name or an alias of Lookup');
    expect(await run(["--dir", dir])).toBe(2);
  });
});
