import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { githubError } from "../../engine/tooling/annotations";

const ROOT = join(__dirname, "..", "..");
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [join(ROOT, "bin", "intents.cjs"), ...args], { cwd, encoding: "utf8" });

describe("GitHub annotations", () => {
  it("escape what would end the command early or start another", () => {
    expect(githubError({ file: "a,b:c.yaml", line: 3, col: 5, title: "T", message: "50% done\n::error::injected" }))
      .toBe("::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=T::50%25 done%0A::error::injected");
  });

  it("intents lint --format github puts each problem at its file, line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "annotate-"));
    mkdirSync(join(dir, "intents"));
    writeFileSync(join(dir, "intents", "revoke.yaml"), readFileSync(join(ROOT, "intents", "revoke-sessions.yaml"), "utf8").replace(/^risk: .*$/m, "risk: sometimes"));
    const result = cli(["lint", "--format", "github", "intents"], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error file=intents\/revoke\.yaml,line=\d+,col=\d+,title=SPEC_SCHEMA::SPEC_SCHEMA risk must be one of/m);
    expect(cli(["lint", "--format", "xml", "intents"], dir).status).toBe(2);
  });

  it("intents test --format github puts a failed case at its line in the cases file", () => {
    const dir = mkdtempSync(join(tmpdir(), "annotate-cases-"));
    mkdirSync(join(dir, "intents", "cases"), { recursive: true });
    cpSync(join(ROOT, "intents", "revoke-sessions.yaml"), join(dir, "intents", "revoke-sessions.yaml"));
    const cases = readFileSync(join(ROOT, "intents", "cases", "revoke-sessions.cases.yaml"), "utf8").replace("was signed out of all sessions", "was not signed out");
    writeFileSync(join(dir, "intents", "cases", "revoke-sessions.cases.yaml"), cases);
    const line = cases.split("\n").findIndex((l) => l.includes("name: happy path revokes the sessions by UPN")) + 1;
    const result = cli(["test", "--format", "github", "--dir", "intents", "Revoke Sessions"], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error file=intents/cases/revoke-sessions.cases.yaml,line=${line},title=intent case failed::Revoke Sessions › happy path revokes the sessions by UPN failed%0A`);
  });
});
